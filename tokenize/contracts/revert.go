package contracts

import (
	"github.com/ethereum/go-ethereum/ethclient"
)

// DecodeRevert decodes the revert reason carried by err, an error from gas estimation or eth_call
// against a geth node (ethclient, or the simulated backend), into one of the AssetToken error types:
// *AssetTokenTokenLocked, *AssetTokenNotLocked, *AssetTokenAlreadyLocked,
// *AssetTokenAccessControlUnauthorizedAccount, *AssetTokenERC721NonexistentToken, and so on.
//
// ok is false when err carries no revert data (a network error, an out-of-gas, a node other than
// geth) or the data matches none of the contract's custom errors.
func (assetToken *AssetToken) DecodeRevert(err error) (reason any, ok bool) {
	data, ok := ethclient.RevertErrorData(err)
	if !ok || len(data) < 4 {
		return nil, false
	}
	reason, unpackErr := assetToken.UnpackError(data)
	if unpackErr != nil {
		return nil, false
	}
	return reason, true
}
