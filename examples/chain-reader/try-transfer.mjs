// Asks the chain, with ethers v6 and independently of AssetMint's Go code,
// whether a token's owner could transfer it now: an eth_call of
// transferFrom(owner, to, id) from the owner, which sends nothing.
//   RPC=… node try-transfer.mjs <token_address> <token_number> <to>
// prints {"ok":true} or {"ok":false,"error":"TokenLocked"} as JSON.
import { JsonRpcProvider, Contract } from 'ethers';

const [address, tokenNumber, to] = process.argv.slice(2);
const abi = [
  'function ownerOf(uint256 tokenId) view returns (address)',
  'function transferFrom(address from, address to, uint256 tokenId)',
  'error TokenLocked(uint256 tokenId)',
];
const token = new Contract(address, abi, new JsonRpcProvider(process.env.RPC));
const id = BigInt(tokenNumber);
const owner = await token.ownerOf(id);
try {
  await token.transferFrom.staticCall(owner, to, id, { from: owner });
  console.log(JSON.stringify({ ok: true }));
} catch (err) {
  const name = err.revert?.name ?? err.shortMessage ?? String(err);
  console.log(JSON.stringify({ ok: false, error: name }));
}
