// Verifies AssetMint deliveries with the standardwebhooks npm library (the
// Standard Webhooks headers: webhook-id, webhook-timestamp, webhook-signature)
// and prints one line per delivery: "verified <webhook-id> <type>" or
// "rejected <reason>". PORT=… ASSETMINT_WEBHOOK_SECRET=whsec_… node standard-receiver.mjs
import express from 'express';
import { Webhook } from 'standardwebhooks';

const wh = new Webhook(process.env.ASSETMINT_WEBHOOK_SECRET);
const app = express();
app.use(express.raw({ type: 'application/json' }));
app.post('/webhooks/assetmint', (req, res) => {
  try {
    const event = wh.verify(req.body.toString('utf8'), {
      'webhook-id': req.headers['webhook-id'],
      'webhook-timestamp': req.headers['webhook-timestamp'],
      'webhook-signature': req.headers['webhook-signature'],
    });
    console.log(`verified ${req.headers['webhook-id']} ${event.type}`);
    res.json({ received: true });
  } catch (err) {
    console.log(`rejected ${err.message}`);
    res.status(401).send('Invalid signature');
  }
});
app.listen(Number(process.env.PORT), '127.0.0.1');
