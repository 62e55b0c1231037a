// Reads an AssetToken's token with ethers v6, independently of AssetMint's
// Go code: RPC=… node read-token.mjs <token_address> <token_number>
// prints {"owner","tokenURI","metadataHash","locked"} as JSON.
import { JsonRpcProvider, Contract } from 'ethers';

const [address, tokenNumber] = process.argv.slice(2);
const abi = [
  'function ownerOf(uint256 tokenId) view returns (address)',
  'function tokenURI(uint256 tokenId) view returns (string)',
  'function metadataHash(uint256 tokenId) view returns (bytes32)',
  'function locked(uint256 tokenId) view returns (bool)',
];
const token = new Contract(address, abi, new JsonRpcProvider(process.env.RPC));
const id = BigInt(tokenNumber);
const [owner, tokenURI, metadataHash, locked] = await Promise.all([
  token.ownerOf(id), token.tokenURI(id), token.metadataHash(id), token.locked(id),
]);
console.log(JSON.stringify({ owner, tokenURI, metadataHash, locked }));
