// Lists an AssetToken's Minted events with ethers v6, independently of
// AssetMint's Go code: RPC=… node minted-events.mjs <token_address>
// prints [{"tokenId","to","blockNumber","txHash"}, ...] as JSON, in chain
// order.
import { JsonRpcProvider, Contract } from 'ethers';

const [address] = process.argv.slice(2);
const abi = ['event Minted(uint256 indexed tokenId, address indexed to, string uri, bytes32 metadataHash)'];
const token = new Contract(address, abi, new JsonRpcProvider(process.env.RPC));
const events = await token.queryFilter(token.filters.Minted(), 0, 'latest');
console.log(JSON.stringify(events.map((e) => ({
  tokenId: e.args.tokenId.toString(),
  to: e.args.to,
  blockNumber: e.blockNumber,
  txHash: e.transactionHash,
}))));
