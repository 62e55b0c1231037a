// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package contracts

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// AssetTokenMetaData contains all meta data concerning the AssetToken contract.
var AssetTokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name_\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"symbol_\",\"type\":\"string\"},{\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"minter\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"lender\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"AccessControlBadConfirmation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"neededRole\",\"type\":\"bytes32\"}],\"name\":\"AccessControlUnauthorizedAccount\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"AlreadyLocked\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"ERC721IncorrectOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"ERC721InsufficientApproval\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"approver\",\"type\":\"address\"}],\"name\":\"ERC721InvalidApprover\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"ERC721InvalidOperator\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"ERC721InvalidOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"receiver\",\"type\":\"address\"}],\"name\":\"ERC721InvalidReceiver\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"ERC721InvalidSender\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"ERC721NonexistentToken\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"NotLocked\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"TokenLocked\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"}],\"name\":\"ZeroRoleHolder\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"approved\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"approved\",\"type\":\"bool\"}],\"name\":\"ApprovalForAll\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"_fromTokenId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"_toTokenId\",\"type\":\"uint256\"}],\"name\":\"BatchMetadataUpdate\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"Locked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"_tokenId\",\"type\":\"uint256\"}],\"name\":\"MetadataUpdate\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"uri\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"metadataHash\",\"type\":\"bytes32\"}],\"name\":\"Minted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"previousAdminRole\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"newAdminRole\",\"type\":\"bytes32\"}],\"name\":\"RoleAdminChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"RoleGranted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"RoleRevoked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"}],\"name\":\"Seized\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"Unlocked\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"DEFAULT_ADMIN_ROLE\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"LENDER_ROLE\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MINTER_ROLE\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"getApproved\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"}],\"name\":\"getRoleAdmin\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"grantRole\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"hasRole\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"isApprovedForAll\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"lock\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"locked\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"metadataHash\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"uri\",\"type\":\"string\"},{\"internalType\":\"bytes32\",\"name\":\"metadataHash_\",\"type\":\"bytes32\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"ownerOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"callerConfirmation\",\"type\":\"address\"}],\"name\":\"renounceRole\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"revokeRole\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"safeTransferFrom\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"name\":\"safeTransferFrom\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"}],\"name\":\"seize\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"seized\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"approved\",\"type\":\"bool\"}],\"name\":\"setApprovalForAll\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"uri\",\"type\":\"string\"},{\"internalType\":\"bytes32\",\"name\":\"metadataHash_\",\"type\":\"bytes32\"}],\"name\":\"setMetadata\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes4\",\"name\":\"interfaceId\",\"type\":\"bytes4\"}],\"name\":\"supportsInterface\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"tokenURI\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"tokenId\",\"type\":\"uint256\"}],\"name\":\"unlock\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "AssetToken",
	Bin: "0x608060405234801561000f575f5ffd5b506040516120af3803806120af83398101604081905261002e9161028f565b84845f61003b83826103b3565b50600161004882826103b3565b5050506001600160a01b0383166100795760405163b8a2d47b60e01b81525f60048201526024015b60405180910390fd5b6001600160a01b0382166100af5760405163b8a2d47b60e01b81525f51602061208f5f395f51905f526004820152602401610070565b6001600160a01b0381166100e55760405163b8a2d47b60e01b81525f51602061206f5f395f51905f526004820152602401610070565b6100ef5f8461012a565b506101075f51602061208f5f395f51905f528361012a565b5061011f5f51602061206f5f395f51905f528261012a565b505050505050610471565b5f8281526007602090815260408083206001600160a01b038516845290915281205460ff166101ce575f8381526007602090815260408083206001600160a01b03861684529091529020805460ff191660011790556101863390565b6001600160a01b0316826001600160a01b0316847f2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d60405160405180910390a45060016101d1565b505f5b92915050565b634e487b7160e01b5f52604160045260245ffd5b5f82601f8301126101fa575f5ffd5b81516001600160401b03811115610213576102136101d7565b604051601f8201601f19908116603f011681016001600160401b0381118282101715610241576102416101d7565b604052818152838201602001851015610258575f5ffd5b8160208501602083015e5f918101602001919091529392505050565b80516001600160a01b038116811461028a575f5ffd5b919050565b5f5f5f5f5f60a086880312156102a3575f5ffd5b85516001600160401b038111156102b8575f5ffd5b6102c4888289016101eb565b602088015190965090506001600160401b038111156102e1575f5ffd5b6102ed888289016101eb565b9450506102fc60408701610274565b925061030a60608701610274565b915061031860808701610274565b90509295509295909350565b600181811c9082168061033857607f821691505b60208210810361035657634e487b7160e01b5f52602260045260245ffd5b50919050565b601f8211156103ae57828211156103ae57805f5260205f20601f840160051c602085101561038757505f5b90810190601f840160051c035f5b818110156103aa575f83820155600101610395565b5050505b505050565b81516001600160401b038111156103cc576103cc6101d7565b6103e0816103da8454610324565b8461035c565b6020601f821160018114610412575f83156103fb5750848201515b5f19600385901b1c1916600184901b17845561046a565b5f84815260208120601f198516915b828110156104415787850151825560209485019460019092019101610421565b508482101561045e57868401515f19600387901b60f8161c191681555b505060018360011b0184555b5050505050565b611bf18061047e5f395ff3fe608060405234801561000f575f5ffd5b50600436106101c5575f3560e01c806391d14854116100fe578063b88d4fde1161009e578063d547741f1161006e578063d547741f146103f0578063d940705b14610403578063dd46706414610416578063e985e9c514610429575f5ffd5b8063b88d4fde14610390578063c87b56dd146103a3578063d4bf51a7146103b6578063d5391393146103c9575f5ffd5b8063a22cb465116100d9578063a22cb46514610344578063a7dab97214610357578063b21f4e281461036a578063b45a3c0e1461037d575f5ffd5b806391d148541461032257806395d89b4114610335578063a217fddf1461033d575f5ffd5b8063248a9ca31161016957806342842e0e1161014457806342842e0e146102d65780636198e339146102e95780636352211e146102fc57806370a082311461030f575f5ffd5b8063248a9ca31461028e5780632f2ff15d146102b057806336568abe146102c3575f5ffd5b8063081812fc116101a4578063081812fc14610228578063095ea7b314610253578063219cc8bc1461026857806323b872dd1461027b575f5ffd5b8062abafe1146101c957806301ffc9a7146101f057806306fdde0314610213575b5f5ffd5b6101dd5f516020611bc55f395f51905f5281565b6040519081526020015b60405180910390f35b6102036101fe366004611655565b61043c565b60405190151581526020016101e7565b61021b61044c565b6040516101e7919061169e565b61023b6102363660046116b0565b6104db565b6040516001600160a01b0390911681526020016101e7565b6102666102613660046116e2565b610502565b005b6101dd6102763660046116b0565b610511565b61026661028936600461170a565b61052e565b6101dd61029c3660046116b0565b5f9081526007602052604090206001015490565b6102666102be366004611744565b6105bc565b6102666102d1366004611744565b6105e0565b6102666102e436600461170a565b610618565b6102666102f73660046116b0565b610632565b61023b61030a3660046116b0565b6106c4565b6101dd61031d36600461176e565b6106ce565b610203610330366004611744565b610713565b61021b61073d565b6101dd5f81565b610266610352366004611787565b61074c565b610266610365366004611744565b610757565b6102036103783660046116b0565b610838565b61020361038b3660046116b0565b610858565b61026661039e3660046117d4565b610878565b61021b6103b13660046116b0565b610890565b6102666103c43660046118f6565b610911565b6101dd7f9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a681565b6102666103fe366004611744565b610a00565b610266610411366004611953565b610a24565b6102666104243660046116b0565b610aad565b6102036104373660046119a2565b610b43565b5f61044682610b70565b92915050565b60605f805461045a906119ca565b80601f0160208091040260200160405190810160405280929190818152602001828054610486906119ca565b80156104d15780601f106104a8576101008083540402835291602001916104d1565b820191905f5260205f20905b8154815290600101906020018083116104b457829003601f168201915b5050505050905090565b5f6104e582610b94565b505f828152600460205260409020546001600160a01b0316610446565b61050d828233610bcc565b5050565b5f61051b82610b94565b50505f9081526008602052604090205490565b6001600160a01b03821661055c57604051633250574960e11b81525f60048201526024015b60405180910390fd5b5f610568838333610bd9565b9050836001600160a01b0316816001600160a01b0316146105b6576040516364283d7b60e01b81526001600160a01b0380861660048301526024820184905282166044820152606401610553565b50505050565b5f828152600760205260409020600101546105d681610c16565b6105b68383610c23565b6001600160a01b03811633146106095760405163334bd91960e11b815260040160405180910390fd5b6106138282610cb4565b505050565b61061383838360405180602001604052805f815250610878565b5f516020611bc55f395f51905f5261064981610c16565b61065282610b94565b505f8281526009602052604090205460ff166106845760405163debb09c360e01b815260048101839052602401610553565b5f82815260096020526040808220805460ff191690555183917ff27b6ce5b2f5e68ddb2fd95a8a909d4ecf1daaac270935fff052feacb24f184291a25050565b5f61044682610b94565b5f6001600160a01b0382166106f8576040516322718ad960e21b81525f6004820152602401610553565b506001600160a01b03165f9081526003602052604090205490565b5f9182526007602090815260408084206001600160a01b0393909316845291905290205460ff1690565b60606001805461045a906119ca565b61050d338383610d1f565b5f516020611bc55f395f51905f5261076e81610c16565b5f61077884610b94565b5f8581526009602052604090205490915060ff166107ac5760405163debb09c360e01b815260048101859052602401610553565b5f848152600960205260409020805460ff191690556107cc818486610de6565b5f8481526009602090815260408083208054600160ff199182168117909255600a909352818420805490931617909155516001600160a01b03858116929084169187917fe680ade7c5c2d000345daacbbd1655d2c183ea7c783a6b610d851c5de8e6fb2191a450505050565b5f61084282610b94565b50505f908152600a602052604090205460ff1690565b5f61086282610b94565b50505f9081526009602052604090205460ff1690565b61088384848461052e565b6105b63385858585610e93565b606061089b82610b94565b505f6108b160408051602081019091525f815290565b90505f6108bd84610fb2565b905081515f036108ce579392505050565b8051156109005781816040516020016108e8929190611a19565b60405160208183030381529060405292505050919050565b61090984611051565b949350505050565b7f9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a661093b81610c16565b61094586866110c2565b6109848585858080601f0160208091040260200160405190810160405280939291908181526020018383808284375f9201919091525061112392505050565b5f8581526008602052604090819020839055516001600160a01b0387169086907f3d800b867b433b2e8240ce323693c9fa286158c369d66db0b047f69396b6c1c0906109d590889088908890611a2d565b60405180910390a36109f8335f888860405180602001604052805f815250610e93565b505050505050565b5f82815260076020526040902060010154610a1a81610c16565b6105b68383610cb4565b7f9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6610a4e81610c16565b610a5785610b94565b505f858152600860209081526040918290208490558151601f8601829004820281018201909252848252610aa691879187908790819084018382808284375f9201919091525061112392505050565b5050505050565b5f516020611bc55f395f51905f52610ac481610c16565b610acd82610b94565b505f8281526009602052604090205460ff1615610b005760405163e7743e3160e01b815260048101839052602401610553565b5f82815260096020526040808220805460ff191660011790555183917f032bc66be43dbccb7487781d168eb7bda224628a3b2c3388bdf69b532a3a161191a25050565b6001600160a01b039182165f90815260056020908152604080832093909416825291909152205460ff1690565b5f6001600160e01b03198216637965db0b60e01b1480610446575061044682611172565b5f818152600260205260408120546001600160a01b03168061044657604051637e27328960e01b815260048101849052602401610553565b6106138383836001611196565b5f8281526009602052604081205460ff1615610c0b57604051634432ba5960e11b815260048101849052602401610553565b61090984848461129a565b610c20813361138c565b50565b5f610c2e8383610713565b610cad575f8381526007602090815260408083206001600160a01b03861684529091529020805460ff19166001179055610c653390565b6001600160a01b0316826001600160a01b0316847f2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d60405160405180910390a4506001610446565b505f610446565b5f610cbf8383610713565b15610cad575f8381526007602090815260408083206001600160a01b0386168085529252808320805460ff1916905551339286917ff6391f5c32d9c69d2a47ea670b442974b53935d1edc7fd64eb21e047a839171b9190a4506001610446565b6001600160a01b038316610d485760405163a9fbf51f60e01b81525f6004820152602401610553565b6001600160a01b038216610d7a57604051630b61174360e31b81526001600160a01b0383166004820152602401610553565b6001600160a01b038381165f81815260056020908152604080832094871680845294825291829020805460ff191686151590811790915591519182527f17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31910160405180910390a3505050565b6001600160a01b038216610e0f57604051633250574960e11b81525f6004820152602401610553565b5f610e1b83835f610bd9565b90506001600160a01b038116610e4757604051637e27328960e01b815260048101839052602401610553565b836001600160a01b0316816001600160a01b0316146105b6576040516364283d7b60e01b81526001600160a01b0380861660048301526024820184905282166044820152606401610553565b6001600160a01b0383163b15610aa657604051630a85bd0160e11b81526001600160a01b0384169063150b7a0290610ed5908890889087908790600401611a64565b6020604051808303815f875af1925050508015610f0f575060408051601f3d908101601f19168201909252610f0c91810190611aa0565b60015b610f76573d808015610f3c576040519150601f19603f3d011682016040523d82523d5f602084013e610f41565b606091505b5080515f03610f6e57604051633250574960e11b81526001600160a01b0385166004820152602401610553565b805160208201fd5b6001600160e01b03198116630a85bd0160e11b146109f857604051633250574960e11b81526001600160a01b0385166004820152602401610553565b5f818152600660205260409020805460609190610fce906119ca565b80601f0160208091040260200160405190810160405280929190818152602001828054610ffa906119ca565b80156110455780601f1061101c57610100808354040283529160200191611045565b820191905f5260205f20905b81548152906001019060200180831161102857829003601f168201915b50505050509050919050565b606061105c82610b94565b505f61107260408051602081019091525f815290565b90505f8151116110905760405180602001604052805f8152506110bb565b8061109a846113c5565b6040516020016110ab929190611a19565b6040516020818303038152906040525b9392505050565b6001600160a01b0382166110eb57604051633250574960e11b81525f6004820152602401610553565b5f6110f783835f610bd9565b90506001600160a01b03811615610613576040516339e3563760e11b81525f6004820152602401610553565b5f82815260066020526040902061113a8282611b09565b506040518281527ff8e1a15aba9398e019f0b49df1a4fde98ee17ae345cb5f6b5e2c27f5033e8ce79060200160405180910390a15050565b5f6001600160e01b03198216632483248360e11b1480610446575061044682611455565b80806111aa57506001600160a01b03821615155b1561126b575f6111b984610b94565b90506001600160a01b038316158015906111e55750826001600160a01b0316816001600160a01b031614155b80156111f857506111f68184610b43565b155b156112215760405163a9fbf51f60e01b81526001600160a01b0384166004820152602401610553565b81156112695783856001600160a01b0316826001600160a01b03167f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b92560405160405180910390a45b505b50505f90815260046020526040902080546001600160a01b0319166001600160a01b0392909216919091179055565b5f828152600260205260408120546001600160a01b03908116908316156112c6576112c68184866114a4565b6001600160a01b03811615611300576112e15f855f5f611196565b6001600160a01b0381165f90815260036020526040902080545f190190555b6001600160a01b0385161561132e576001600160a01b0385165f908152600360205260409020805460010190555b5f8481526002602052604080822080546001600160a01b0319166001600160a01b0389811691821790925591518793918516917fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef91a4949350505050565b6113968282610713565b61050d5760405163e2517d3f60e01b81526001600160a01b038216600482015260248101839052604401610553565b60605f6113d183611508565b60010190505f8167ffffffffffffffff8111156113f0576113f06117c0565b6040519080825280601f01601f19166020018201604052801561141a576020820181803683370190505b5090508181016020015b5f19016f181899199a1a9b1b9c1cb0b131b232b360811b600a86061a8153600a850494508461142457509392505050565b5f6001600160e01b031982166380ac58cd60e01b148061148557506001600160e01b03198216635b5e139f60e01b145b8061044657506301ffc9a760e01b6001600160e01b0319831614610446565b6114af8383836115df565b610613576001600160a01b0383166114dd57604051637e27328960e01b815260048101829052602401610553565b60405163177e802f60e01b81526001600160a01b038316600482015260248101829052604401610553565b5f8072184f03e93ff9f4daa797ed6e38ed64bf6a1f0160401b83106115465772184f03e93ff9f4daa797ed6e38ed64bf6a1f0160401b830492506040015b6d04ee2d6d415b85acef81000000008310611572576d04ee2d6d415b85acef8100000000830492506020015b662386f26fc10000831061159057662386f26fc10000830492506010015b6305f5e10083106115a8576305f5e100830492506008015b61271083106115bc57612710830492506004015b606483106115ce576064830492506002015b600a83106104465760010192915050565b5f6001600160a01b038316158015906109095750826001600160a01b0316846001600160a01b0316148061161857506116188484610b43565b806109095750505f908152600460205260409020546001600160a01b03908116911614919050565b6001600160e01b031981168114610c20575f5ffd5b5f60208284031215611665575f5ffd5b81356110bb81611640565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b602081525f6110bb6020830184611670565b5f602082840312156116c0575f5ffd5b5035919050565b80356001600160a01b03811681146116dd575f5ffd5b919050565b5f5f604083850312156116f3575f5ffd5b6116fc836116c7565b946020939093013593505050565b5f5f5f6060848603121561171c575f5ffd5b611725846116c7565b9250611733602085016116c7565b929592945050506040919091013590565b5f5f60408385031215611755575f5ffd5b82359150611765602084016116c7565b90509250929050565b5f6020828403121561177e575f5ffd5b6110bb826116c7565b5f5f60408385031215611798575f5ffd5b6117a1836116c7565b9150602083013580151581146117b5575f5ffd5b809150509250929050565b634e487b7160e01b5f52604160045260245ffd5b5f5f5f5f608085870312156117e7575f5ffd5b6117f0856116c7565b93506117fe602086016116c7565b925060408501359150606085013567ffffffffffffffff811115611820575f5ffd5b8501601f81018713611830575f5ffd5b803567ffffffffffffffff81111561184a5761184a6117c0565b604051601f8201601f19908116603f0116810167ffffffffffffffff81118282101715611879576118796117c0565b604052818152828201602001891015611890575f5ffd5b816020840160208301375f6020838301015280935050505092959194509250565b5f5f83601f8401126118c1575f5ffd5b50813567ffffffffffffffff8111156118d8575f5ffd5b6020830191508360208285010111156118ef575f5ffd5b9250929050565b5f5f5f5f5f6080868803121561190a575f5ffd5b611913866116c7565b945060208601359350604086013567ffffffffffffffff811115611935575f5ffd5b611941888289016118b1565b96999598509660600135949350505050565b5f5f5f5f60608587031215611966575f5ffd5b84359350602085013567ffffffffffffffff811115611983575f5ffd5b61198f878288016118b1565b9598909750949560400135949350505050565b5f5f604083850312156119b3575f5ffd5b6119bc836116c7565b9150611765602084016116c7565b600181811c908216806119de57607f821691505b6020821081036119fc57634e487b7160e01b5f52602260045260245ffd5b50919050565b5f81518060208401855e5f93019283525090919050565b5f610909611a278386611a02565b84611a02565b60408152826040820152828460608301375f606084830101525f6060601f19601f8601168301019050826020830152949350505050565b6001600160a01b03858116825284166020820152604081018390526080606082018190525f90611a9690830184611670565b9695505050505050565b5f60208284031215611ab0575f5ffd5b81516110bb81611640565b601f821115610613578282111561061357805f5260205f20601f840160051c6020851015611ae657505f5b90810190601f840160051c035f5b818110156109f8575f83820155600101611af4565b815167ffffffffffffffff811115611b2357611b236117c0565b611b3781611b3184546119ca565b84611abb565b6020601f821160018114611b69575f8315611b525750848201515b5f19600385901b1c1916600184901b178455610aa6565b5f84815260208120601f198516915b82811015611b985787850151825560209485019460019092019101611b78565b5084821015611bb557868401515f19600387901b60f8161c191681555b50505050600190811b0190555056fec60d7a62d8843f2b14bc63f2a5240b187980481ad8c001a3caf4916aef3f667ea164736f6c6343000825000ac60d7a62d8843f2b14bc63f2a5240b187980481ad8c001a3caf4916aef3f667e9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6",
}

// AssetToken is an auto generated Go binding around an Ethereum contract.
type AssetToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *AssetToken) GetABI() abi.ABI {
	return c.abi
}

// NewAssetToken creates a new instance of AssetToken.
func NewAssetToken() *AssetToken {
	parsed, err := AssetTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &AssetToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *AssetToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(string name_, string symbol_, address admin, address minter, address lender) returns()
func (assetToken *AssetToken) PackConstructor(name_ string, symbol_ string, admin common.Address, minter common.Address, lender common.Address) []byte {
	enc, err := assetToken.abi.Pack("", name_, symbol_, admin, minter, lender)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackDEFAULTADMINROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa217fddf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (assetToken *AssetToken) PackDEFAULTADMINROLE() []byte {
	enc, err := assetToken.abi.Pack("DEFAULT_ADMIN_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDEFAULTADMINROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa217fddf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (assetToken *AssetToken) TryPackDEFAULTADMINROLE() ([]byte, error) {
	return assetToken.abi.Pack("DEFAULT_ADMIN_ROLE")
}

// UnpackDEFAULTADMINROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa217fddf.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (assetToken *AssetToken) UnpackDEFAULTADMINROLE(data []byte) ([32]byte, error) {
	out, err := assetToken.abi.Unpack("DEFAULT_ADMIN_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackLENDERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x00abafe1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function LENDER_ROLE() view returns(bytes32)
func (assetToken *AssetToken) PackLENDERROLE() []byte {
	enc, err := assetToken.abi.Pack("LENDER_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLENDERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x00abafe1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function LENDER_ROLE() view returns(bytes32)
func (assetToken *AssetToken) TryPackLENDERROLE() ([]byte, error) {
	return assetToken.abi.Pack("LENDER_ROLE")
}

// UnpackLENDERROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x00abafe1.
//
// Solidity: function LENDER_ROLE() view returns(bytes32)
func (assetToken *AssetToken) UnpackLENDERROLE(data []byte) ([32]byte, error) {
	out, err := assetToken.abi.Unpack("LENDER_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackMINTERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd5391393.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MINTER_ROLE() view returns(bytes32)
func (assetToken *AssetToken) PackMINTERROLE() []byte {
	enc, err := assetToken.abi.Pack("MINTER_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMINTERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd5391393.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MINTER_ROLE() view returns(bytes32)
func (assetToken *AssetToken) TryPackMINTERROLE() ([]byte, error) {
	return assetToken.abi.Pack("MINTER_ROLE")
}

// UnpackMINTERROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd5391393.
//
// Solidity: function MINTER_ROLE() view returns(bytes32)
func (assetToken *AssetToken) UnpackMINTERROLE(data []byte) ([32]byte, error) {
	out, err := assetToken.abi.Unpack("MINTER_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(address to, uint256 tokenId) returns()
func (assetToken *AssetToken) PackApprove(to common.Address, tokenId *big.Int) []byte {
	enc, err := assetToken.abi.Pack("approve", to, tokenId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(address to, uint256 tokenId) returns()
func (assetToken *AssetToken) TryPackApprove(to common.Address, tokenId *big.Int) ([]byte, error) {
	return assetToken.abi.Pack("approve", to, tokenId)
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address owner) view returns(uint256)
func (assetToken *AssetToken) PackBalanceOf(owner common.Address) []byte {
	enc, err := assetToken.abi.Pack("balanceOf", owner)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address owner) view returns(uint256)
func (assetToken *AssetToken) TryPackBalanceOf(owner common.Address) ([]byte, error) {
	return assetToken.abi.Pack("balanceOf", owner)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address owner) view returns(uint256)
func (assetToken *AssetToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := assetToken.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetApproved is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x081812fc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getApproved(uint256 tokenId) view returns(address)
func (assetToken *AssetToken) PackGetApproved(tokenId *big.Int) []byte {
	enc, err := assetToken.abi.Pack("getApproved", tokenId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetApproved is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x081812fc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getApproved(uint256 tokenId) view returns(address)
func (assetToken *AssetToken) TryPackGetApproved(tokenId *big.Int) ([]byte, error) {
	return assetToken.abi.Pack("getApproved", tokenId)
}

// UnpackGetApproved is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x081812fc.
//
// Solidity: function getApproved(uint256 tokenId) view returns(address)
func (assetToken *AssetToken) UnpackGetApproved(data []byte) (common.Address, error) {
	out, err := assetToken.abi.Unpack("getApproved", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackGetRoleAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x248a9ca3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (assetToken *AssetToken) PackGetRoleAdmin(role [32]byte) []byte {
	enc, err := assetToken.abi.Pack("getRoleAdmin", role)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetRoleAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x248a9ca3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (assetToken *AssetToken) TryPackGetRoleAdmin(role [32]byte) ([]byte, error) {
	return assetToken.abi.Pack("getRoleAdmin", role)
}

// UnpackGetRoleAdmin is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x248a9ca3.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (assetToken *AssetToken) UnpackGetRoleAdmin(data []byte) ([32]byte, error) {
	out, err := assetToken.abi.Unpack("getRoleAdmin", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackGrantRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f2ff15d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function grantRole(bytes32 role, address account) returns()
func (assetToken *AssetToken) PackGrantRole(role [32]byte, account common.Address) []byte {
	enc, err := assetToken.abi.Pack("grantRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGrantRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f2ff15d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function grantRole(bytes32 role, address account) returns()
func (assetToken *AssetToken) TryPackGrantRole(role [32]byte, account common.Address) ([]byte, error) {
	return assetToken.abi.Pack("grantRole", role, account)
}

// PackHasRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x91d14854.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (assetToken *AssetToken) PackHasRole(role [32]byte, account common.Address) []byte {
	enc, err := assetToken.abi.Pack("hasRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHasRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x91d14854.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (assetToken *AssetToken) TryPackHasRole(role [32]byte, account common.Address) ([]byte, error) {
	return assetToken.abi.Pack("hasRole", role, account)
}

// UnpackHasRole is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x91d14854.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (assetToken *AssetToken) UnpackHasRole(data []byte) (bool, error) {
	out, err := assetToken.abi.Unpack("hasRole", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsApprovedForAll is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe985e9c5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isApprovedForAll(address owner, address operator) view returns(bool)
func (assetToken *AssetToken) PackIsApprovedForAll(owner common.Address, operator common.Address) []byte {
	enc, err := assetToken.abi.Pack("isApprovedForAll", owner, operator)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsApprovedForAll is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe985e9c5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isApprovedForAll(address owner, address operator) view returns(bool)
func (assetToken *AssetToken) TryPackIsApprovedForAll(owner common.Address, operator common.Address) ([]byte, error) {
	return assetToken.abi.Pack("isApprovedForAll", owner, operator)
}

// UnpackIsApprovedForAll is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe985e9c5.
//
// Solidity: function isApprovedForAll(address owner, address operator) view returns(bool)
func (assetToken *AssetToken) UnpackIsApprovedForAll(data []byte) (bool, error) {
	out, err := assetToken.abi.Unpack("isApprovedForAll", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackLock is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd467064.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function lock(uint256 tokenId) returns()
func (assetToken *AssetToken) PackLock(tokenId *big.Int) []byte {
	enc, err := assetToken.abi.Pack("lock", tokenId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLock is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd467064.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function lock(uint256 tokenId) returns()
func (assetToken *AssetToken) TryPackLock(tokenId *big.Int) ([]byte, error) {
	return assetToken.abi.Pack("lock", tokenId)
}

// PackLocked is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb45a3c0e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function locked(uint256 tokenId) view returns(bool)
func (assetToken *AssetToken) PackLocked(tokenId *big.Int) []byte {
	enc, err := assetToken.abi.Pack("locked", tokenId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLocked is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb45a3c0e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function locked(uint256 tokenId) view returns(bool)
func (assetToken *AssetToken) TryPackLocked(tokenId *big.Int) ([]byte, error) {
	return assetToken.abi.Pack("locked", tokenId)
}

// UnpackLocked is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb45a3c0e.
//
// Solidity: function locked(uint256 tokenId) view returns(bool)
func (assetToken *AssetToken) UnpackLocked(data []byte) (bool, error) {
	out, err := assetToken.abi.Unpack("locked", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackMetadataHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x219cc8bc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function metadataHash(uint256 tokenId) view returns(bytes32)
func (assetToken *AssetToken) PackMetadataHash(tokenId *big.Int) []byte {
	enc, err := assetToken.abi.Pack("metadataHash", tokenId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMetadataHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x219cc8bc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function metadataHash(uint256 tokenId) view returns(bytes32)
func (assetToken *AssetToken) TryPackMetadataHash(tokenId *big.Int) ([]byte, error) {
	return assetToken.abi.Pack("metadataHash", tokenId)
}

// UnpackMetadataHash is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x219cc8bc.
//
// Solidity: function metadataHash(uint256 tokenId) view returns(bytes32)
func (assetToken *AssetToken) UnpackMetadataHash(data []byte) ([32]byte, error) {
	out, err := assetToken.abi.Unpack("metadataHash", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4bf51a7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 tokenId, string uri, bytes32 metadataHash_) returns()
func (assetToken *AssetToken) PackMint(to common.Address, tokenId *big.Int, uri string, metadataHash [32]byte) []byte {
	enc, err := assetToken.abi.Pack("mint", to, tokenId, uri, metadataHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd4bf51a7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mint(address to, uint256 tokenId, string uri, bytes32 metadataHash_) returns()
func (assetToken *AssetToken) TryPackMint(to common.Address, tokenId *big.Int, uri string, metadataHash [32]byte) ([]byte, error) {
	return assetToken.abi.Pack("mint", to, tokenId, uri, metadataHash)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (assetToken *AssetToken) PackName() []byte {
	enc, err := assetToken.abi.Pack("name")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function name() view returns(string)
func (assetToken *AssetToken) TryPackName() ([]byte, error) {
	return assetToken.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (assetToken *AssetToken) UnpackName(data []byte) (string, error) {
	out, err := assetToken.abi.Unpack("name", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackOwnerOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6352211e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ownerOf(uint256 tokenId) view returns(address)
func (assetToken *AssetToken) PackOwnerOf(tokenId *big.Int) []byte {
	enc, err := assetToken.abi.Pack("ownerOf", tokenId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwnerOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6352211e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ownerOf(uint256 tokenId) view returns(address)
func (assetToken *AssetToken) TryPackOwnerOf(tokenId *big.Int) ([]byte, error) {
	return assetToken.abi.Pack("ownerOf", tokenId)
}

// UnpackOwnerOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6352211e.
//
// Solidity: function ownerOf(uint256 tokenId) view returns(address)
func (assetToken *AssetToken) UnpackOwnerOf(data []byte) (common.Address, error) {
	out, err := assetToken.abi.Unpack("ownerOf", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRenounceRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x36568abe.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function renounceRole(bytes32 role, address callerConfirmation) returns()
func (assetToken *AssetToken) PackRenounceRole(role [32]byte, callerConfirmation common.Address) []byte {
	enc, err := assetToken.abi.Pack("renounceRole", role, callerConfirmation)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRenounceRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x36568abe.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function renounceRole(bytes32 role, address callerConfirmation) returns()
func (assetToken *AssetToken) TryPackRenounceRole(role [32]byte, callerConfirmation common.Address) ([]byte, error) {
	return assetToken.abi.Pack("renounceRole", role, callerConfirmation)
}

// PackRevokeRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd547741f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revokeRole(bytes32 role, address account) returns()
func (assetToken *AssetToken) PackRevokeRole(role [32]byte, account common.Address) []byte {
	enc, err := assetToken.abi.Pack("revokeRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevokeRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd547741f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revokeRole(bytes32 role, address account) returns()
func (assetToken *AssetToken) TryPackRevokeRole(role [32]byte, account common.Address) ([]byte, error) {
	return assetToken.abi.Pack("revokeRole", role, account)
}

// PackSafeTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42842e0e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function safeTransferFrom(address from, address to, uint256 tokenId) returns()
func (assetToken *AssetToken) PackSafeTransferFrom(from common.Address, to common.Address, tokenId *big.Int) []byte {
	enc, err := assetToken.abi.Pack("safeTransferFrom", from, to, tokenId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSafeTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42842e0e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function safeTransferFrom(address from, address to, uint256 tokenId) returns()
func (assetToken *AssetToken) TryPackSafeTransferFrom(from common.Address, to common.Address, tokenId *big.Int) ([]byte, error) {
	return assetToken.abi.Pack("safeTransferFrom", from, to, tokenId)
}

// PackSafeTransferFrom0 is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb88d4fde.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function safeTransferFrom(address from, address to, uint256 tokenId, bytes data) returns()
func (assetToken *AssetToken) PackSafeTransferFrom0(from common.Address, to common.Address, tokenId *big.Int, data []byte) []byte {
	enc, err := assetToken.abi.Pack("safeTransferFrom0", from, to, tokenId, data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSafeTransferFrom0 is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb88d4fde.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function safeTransferFrom(address from, address to, uint256 tokenId, bytes data) returns()
func (assetToken *AssetToken) TryPackSafeTransferFrom0(from common.Address, to common.Address, tokenId *big.Int, data []byte) ([]byte, error) {
	return assetToken.abi.Pack("safeTransferFrom0", from, to, tokenId, data)
}

// PackSeize is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa7dab972.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function seize(uint256 tokenId, address to) returns()
func (assetToken *AssetToken) PackSeize(tokenId *big.Int, to common.Address) []byte {
	enc, err := assetToken.abi.Pack("seize", tokenId, to)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSeize is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa7dab972.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function seize(uint256 tokenId, address to) returns()
func (assetToken *AssetToken) TryPackSeize(tokenId *big.Int, to common.Address) ([]byte, error) {
	return assetToken.abi.Pack("seize", tokenId, to)
}

// PackSeized is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb21f4e28.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function seized(uint256 tokenId) view returns(bool)
func (assetToken *AssetToken) PackSeized(tokenId *big.Int) []byte {
	enc, err := assetToken.abi.Pack("seized", tokenId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSeized is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb21f4e28.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function seized(uint256 tokenId) view returns(bool)
func (assetToken *AssetToken) TryPackSeized(tokenId *big.Int) ([]byte, error) {
	return assetToken.abi.Pack("seized", tokenId)
}

// UnpackSeized is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb21f4e28.
//
// Solidity: function seized(uint256 tokenId) view returns(bool)
func (assetToken *AssetToken) UnpackSeized(data []byte) (bool, error) {
	out, err := assetToken.abi.Unpack("seized", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackSetApprovalForAll is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa22cb465.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setApprovalForAll(address operator, bool approved) returns()
func (assetToken *AssetToken) PackSetApprovalForAll(operator common.Address, approved bool) []byte {
	enc, err := assetToken.abi.Pack("setApprovalForAll", operator, approved)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetApprovalForAll is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa22cb465.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setApprovalForAll(address operator, bool approved) returns()
func (assetToken *AssetToken) TryPackSetApprovalForAll(operator common.Address, approved bool) ([]byte, error) {
	return assetToken.abi.Pack("setApprovalForAll", operator, approved)
}

// PackSetMetadata is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd940705b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setMetadata(uint256 tokenId, string uri, bytes32 metadataHash_) returns()
func (assetToken *AssetToken) PackSetMetadata(tokenId *big.Int, uri string, metadataHash [32]byte) []byte {
	enc, err := assetToken.abi.Pack("setMetadata", tokenId, uri, metadataHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetMetadata is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd940705b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setMetadata(uint256 tokenId, string uri, bytes32 metadataHash_) returns()
func (assetToken *AssetToken) TryPackSetMetadata(tokenId *big.Int, uri string, metadataHash [32]byte) ([]byte, error) {
	return assetToken.abi.Pack("setMetadata", tokenId, uri, metadataHash)
}

// PackSupportsInterface is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x01ffc9a7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (assetToken *AssetToken) PackSupportsInterface(interfaceId [4]byte) []byte {
	enc, err := assetToken.abi.Pack("supportsInterface", interfaceId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSupportsInterface is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x01ffc9a7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (assetToken *AssetToken) TryPackSupportsInterface(interfaceId [4]byte) ([]byte, error) {
	return assetToken.abi.Pack("supportsInterface", interfaceId)
}

// UnpackSupportsInterface is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x01ffc9a7.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (assetToken *AssetToken) UnpackSupportsInterface(data []byte) (bool, error) {
	out, err := assetToken.abi.Unpack("supportsInterface", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (assetToken *AssetToken) PackSymbol() []byte {
	enc, err := assetToken.abi.Pack("symbol")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function symbol() view returns(string)
func (assetToken *AssetToken) TryPackSymbol() ([]byte, error) {
	return assetToken.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (assetToken *AssetToken) UnpackSymbol(data []byte) (string, error) {
	out, err := assetToken.abi.Unpack("symbol", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTokenURI is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc87b56dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function tokenURI(uint256 tokenId) view returns(string)
func (assetToken *AssetToken) PackTokenURI(tokenId *big.Int) []byte {
	enc, err := assetToken.abi.Pack("tokenURI", tokenId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTokenURI is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc87b56dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function tokenURI(uint256 tokenId) view returns(string)
func (assetToken *AssetToken) TryPackTokenURI(tokenId *big.Int) ([]byte, error) {
	return assetToken.abi.Pack("tokenURI", tokenId)
}

// UnpackTokenURI is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc87b56dd.
//
// Solidity: function tokenURI(uint256 tokenId) view returns(string)
func (assetToken *AssetToken) UnpackTokenURI(data []byte) (string, error) {
	out, err := assetToken.abi.Unpack("tokenURI", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferFrom(address from, address to, uint256 tokenId) returns()
func (assetToken *AssetToken) PackTransferFrom(from common.Address, to common.Address, tokenId *big.Int) []byte {
	enc, err := assetToken.abi.Pack("transferFrom", from, to, tokenId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferFrom(address from, address to, uint256 tokenId) returns()
func (assetToken *AssetToken) TryPackTransferFrom(from common.Address, to common.Address, tokenId *big.Int) ([]byte, error) {
	return assetToken.abi.Pack("transferFrom", from, to, tokenId)
}

// PackUnlock is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6198e339.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unlock(uint256 tokenId) returns()
func (assetToken *AssetToken) PackUnlock(tokenId *big.Int) []byte {
	enc, err := assetToken.abi.Pack("unlock", tokenId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnlock is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6198e339.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unlock(uint256 tokenId) returns()
func (assetToken *AssetToken) TryPackUnlock(tokenId *big.Int) ([]byte, error) {
	return assetToken.abi.Pack("unlock", tokenId)
}

// AssetTokenApproval represents a Approval event raised by the AssetToken contract.
type AssetTokenApproval struct {
	Owner    common.Address
	Approved common.Address
	TokenId  *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const AssetTokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (AssetTokenApproval) ContractEventName() string {
	return AssetTokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId)
func (assetToken *AssetToken) UnpackApprovalEvent(log *types.Log) (*AssetTokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != assetToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AssetTokenApproval)
	if len(log.Data) > 0 {
		if err := assetToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range assetToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// AssetTokenApprovalForAll represents a ApprovalForAll event raised by the AssetToken contract.
type AssetTokenApprovalForAll struct {
	Owner    common.Address
	Operator common.Address
	Approved bool
	Raw      *types.Log // Blockchain specific contextual infos
}

const AssetTokenApprovalForAllEventName = "ApprovalForAll"

// ContractEventName returns the user-defined event name.
func (AssetTokenApprovalForAll) ContractEventName() string {
	return AssetTokenApprovalForAllEventName
}

// UnpackApprovalForAllEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ApprovalForAll(address indexed owner, address indexed operator, bool approved)
func (assetToken *AssetToken) UnpackApprovalForAllEvent(log *types.Log) (*AssetTokenApprovalForAll, error) {
	event := "ApprovalForAll"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != assetToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AssetTokenApprovalForAll)
	if len(log.Data) > 0 {
		if err := assetToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range assetToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// AssetTokenBatchMetadataUpdate represents a BatchMetadataUpdate event raised by the AssetToken contract.
type AssetTokenBatchMetadataUpdate struct {
	FromTokenId *big.Int
	ToTokenId   *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const AssetTokenBatchMetadataUpdateEventName = "BatchMetadataUpdate"

// ContractEventName returns the user-defined event name.
func (AssetTokenBatchMetadataUpdate) ContractEventName() string {
	return AssetTokenBatchMetadataUpdateEventName
}

// UnpackBatchMetadataUpdateEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event BatchMetadataUpdate(uint256 _fromTokenId, uint256 _toTokenId)
func (assetToken *AssetToken) UnpackBatchMetadataUpdateEvent(log *types.Log) (*AssetTokenBatchMetadataUpdate, error) {
	event := "BatchMetadataUpdate"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != assetToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AssetTokenBatchMetadataUpdate)
	if len(log.Data) > 0 {
		if err := assetToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range assetToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// AssetTokenLocked represents a Locked event raised by the AssetToken contract.
type AssetTokenLocked struct {
	TokenId *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const AssetTokenLockedEventName = "Locked"

// ContractEventName returns the user-defined event name.
func (AssetTokenLocked) ContractEventName() string {
	return AssetTokenLockedEventName
}

// UnpackLockedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Locked(uint256 indexed tokenId)
func (assetToken *AssetToken) UnpackLockedEvent(log *types.Log) (*AssetTokenLocked, error) {
	event := "Locked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != assetToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AssetTokenLocked)
	if len(log.Data) > 0 {
		if err := assetToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range assetToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// AssetTokenMetadataUpdate represents a MetadataUpdate event raised by the AssetToken contract.
type AssetTokenMetadataUpdate struct {
	TokenId *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const AssetTokenMetadataUpdateEventName = "MetadataUpdate"

// ContractEventName returns the user-defined event name.
func (AssetTokenMetadataUpdate) ContractEventName() string {
	return AssetTokenMetadataUpdateEventName
}

// UnpackMetadataUpdateEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MetadataUpdate(uint256 _tokenId)
func (assetToken *AssetToken) UnpackMetadataUpdateEvent(log *types.Log) (*AssetTokenMetadataUpdate, error) {
	event := "MetadataUpdate"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != assetToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AssetTokenMetadataUpdate)
	if len(log.Data) > 0 {
		if err := assetToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range assetToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// AssetTokenMinted represents a Minted event raised by the AssetToken contract.
type AssetTokenMinted struct {
	TokenId      *big.Int
	To           common.Address
	Uri          string
	MetadataHash [32]byte
	Raw          *types.Log // Blockchain specific contextual infos
}

const AssetTokenMintedEventName = "Minted"

// ContractEventName returns the user-defined event name.
func (AssetTokenMinted) ContractEventName() string {
	return AssetTokenMintedEventName
}

// UnpackMintedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Minted(uint256 indexed tokenId, address indexed to, string uri, bytes32 metadataHash)
func (assetToken *AssetToken) UnpackMintedEvent(log *types.Log) (*AssetTokenMinted, error) {
	event := "Minted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != assetToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AssetTokenMinted)
	if len(log.Data) > 0 {
		if err := assetToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range assetToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// AssetTokenRoleAdminChanged represents a RoleAdminChanged event raised by the AssetToken contract.
type AssetTokenRoleAdminChanged struct {
	Role              [32]byte
	PreviousAdminRole [32]byte
	NewAdminRole      [32]byte
	Raw               *types.Log // Blockchain specific contextual infos
}

const AssetTokenRoleAdminChangedEventName = "RoleAdminChanged"

// ContractEventName returns the user-defined event name.
func (AssetTokenRoleAdminChanged) ContractEventName() string {
	return AssetTokenRoleAdminChangedEventName
}

// UnpackRoleAdminChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)
func (assetToken *AssetToken) UnpackRoleAdminChangedEvent(log *types.Log) (*AssetTokenRoleAdminChanged, error) {
	event := "RoleAdminChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != assetToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AssetTokenRoleAdminChanged)
	if len(log.Data) > 0 {
		if err := assetToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range assetToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// AssetTokenRoleGranted represents a RoleGranted event raised by the AssetToken contract.
type AssetTokenRoleGranted struct {
	Role    [32]byte
	Account common.Address
	Sender  common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const AssetTokenRoleGrantedEventName = "RoleGranted"

// ContractEventName returns the user-defined event name.
func (AssetTokenRoleGranted) ContractEventName() string {
	return AssetTokenRoleGrantedEventName
}

// UnpackRoleGrantedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)
func (assetToken *AssetToken) UnpackRoleGrantedEvent(log *types.Log) (*AssetTokenRoleGranted, error) {
	event := "RoleGranted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != assetToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AssetTokenRoleGranted)
	if len(log.Data) > 0 {
		if err := assetToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range assetToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// AssetTokenRoleRevoked represents a RoleRevoked event raised by the AssetToken contract.
type AssetTokenRoleRevoked struct {
	Role    [32]byte
	Account common.Address
	Sender  common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const AssetTokenRoleRevokedEventName = "RoleRevoked"

// ContractEventName returns the user-defined event name.
func (AssetTokenRoleRevoked) ContractEventName() string {
	return AssetTokenRoleRevokedEventName
}

// UnpackRoleRevokedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)
func (assetToken *AssetToken) UnpackRoleRevokedEvent(log *types.Log) (*AssetTokenRoleRevoked, error) {
	event := "RoleRevoked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != assetToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AssetTokenRoleRevoked)
	if len(log.Data) > 0 {
		if err := assetToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range assetToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// AssetTokenSeized represents a Seized event raised by the AssetToken contract.
type AssetTokenSeized struct {
	TokenId *big.Int
	From    common.Address
	To      common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const AssetTokenSeizedEventName = "Seized"

// ContractEventName returns the user-defined event name.
func (AssetTokenSeized) ContractEventName() string {
	return AssetTokenSeizedEventName
}

// UnpackSeizedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Seized(uint256 indexed tokenId, address indexed from, address indexed to)
func (assetToken *AssetToken) UnpackSeizedEvent(log *types.Log) (*AssetTokenSeized, error) {
	event := "Seized"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != assetToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AssetTokenSeized)
	if len(log.Data) > 0 {
		if err := assetToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range assetToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// AssetTokenTransfer represents a Transfer event raised by the AssetToken contract.
type AssetTokenTransfer struct {
	From    common.Address
	To      common.Address
	TokenId *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const AssetTokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (AssetTokenTransfer) ContractEventName() string {
	return AssetTokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)
func (assetToken *AssetToken) UnpackTransferEvent(log *types.Log) (*AssetTokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != assetToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AssetTokenTransfer)
	if len(log.Data) > 0 {
		if err := assetToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range assetToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// AssetTokenUnlocked represents a Unlocked event raised by the AssetToken contract.
type AssetTokenUnlocked struct {
	TokenId *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const AssetTokenUnlockedEventName = "Unlocked"

// ContractEventName returns the user-defined event name.
func (AssetTokenUnlocked) ContractEventName() string {
	return AssetTokenUnlockedEventName
}

// UnpackUnlockedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Unlocked(uint256 indexed tokenId)
func (assetToken *AssetToken) UnpackUnlockedEvent(log *types.Log) (*AssetTokenUnlocked, error) {
	event := "Unlocked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != assetToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AssetTokenUnlocked)
	if len(log.Data) > 0 {
		if err := assetToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range assetToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (assetToken *AssetToken) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], assetToken.abi.Errors["AccessControlBadConfirmation"].ID.Bytes()[:4]) {
		return assetToken.UnpackAccessControlBadConfirmationError(raw[4:])
	}
	if bytes.Equal(raw[:4], assetToken.abi.Errors["AccessControlUnauthorizedAccount"].ID.Bytes()[:4]) {
		return assetToken.UnpackAccessControlUnauthorizedAccountError(raw[4:])
	}
	if bytes.Equal(raw[:4], assetToken.abi.Errors["AlreadyLocked"].ID.Bytes()[:4]) {
		return assetToken.UnpackAlreadyLockedError(raw[4:])
	}
	if bytes.Equal(raw[:4], assetToken.abi.Errors["ERC721IncorrectOwner"].ID.Bytes()[:4]) {
		return assetToken.UnpackERC721IncorrectOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], assetToken.abi.Errors["ERC721InsufficientApproval"].ID.Bytes()[:4]) {
		return assetToken.UnpackERC721InsufficientApprovalError(raw[4:])
	}
	if bytes.Equal(raw[:4], assetToken.abi.Errors["ERC721InvalidApprover"].ID.Bytes()[:4]) {
		return assetToken.UnpackERC721InvalidApproverError(raw[4:])
	}
	if bytes.Equal(raw[:4], assetToken.abi.Errors["ERC721InvalidOperator"].ID.Bytes()[:4]) {
		return assetToken.UnpackERC721InvalidOperatorError(raw[4:])
	}
	if bytes.Equal(raw[:4], assetToken.abi.Errors["ERC721InvalidOwner"].ID.Bytes()[:4]) {
		return assetToken.UnpackERC721InvalidOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], assetToken.abi.Errors["ERC721InvalidReceiver"].ID.Bytes()[:4]) {
		return assetToken.UnpackERC721InvalidReceiverError(raw[4:])
	}
	if bytes.Equal(raw[:4], assetToken.abi.Errors["ERC721InvalidSender"].ID.Bytes()[:4]) {
		return assetToken.UnpackERC721InvalidSenderError(raw[4:])
	}
	if bytes.Equal(raw[:4], assetToken.abi.Errors["ERC721NonexistentToken"].ID.Bytes()[:4]) {
		return assetToken.UnpackERC721NonexistentTokenError(raw[4:])
	}
	if bytes.Equal(raw[:4], assetToken.abi.Errors["NotLocked"].ID.Bytes()[:4]) {
		return assetToken.UnpackNotLockedError(raw[4:])
	}
	if bytes.Equal(raw[:4], assetToken.abi.Errors["TokenLocked"].ID.Bytes()[:4]) {
		return assetToken.UnpackTokenLockedError(raw[4:])
	}
	if bytes.Equal(raw[:4], assetToken.abi.Errors["ZeroRoleHolder"].ID.Bytes()[:4]) {
		return assetToken.UnpackZeroRoleHolderError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// AssetTokenAccessControlBadConfirmation represents a AccessControlBadConfirmation error raised by the AssetToken contract.
type AssetTokenAccessControlBadConfirmation struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccessControlBadConfirmation()
func AssetTokenAccessControlBadConfirmationErrorID() common.Hash {
	return common.HexToHash("0x6697b23232a647058342c0724fe7c415cab25915b54e5dbc03f233173d37b41c")
}

// UnpackAccessControlBadConfirmationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccessControlBadConfirmation()
func (assetToken *AssetToken) UnpackAccessControlBadConfirmationError(raw []byte) (*AssetTokenAccessControlBadConfirmation, error) {
	out := new(AssetTokenAccessControlBadConfirmation)
	if err := assetToken.abi.UnpackIntoInterface(out, "AccessControlBadConfirmation", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AssetTokenAccessControlUnauthorizedAccount represents a AccessControlUnauthorizedAccount error raised by the AssetToken contract.
type AssetTokenAccessControlUnauthorizedAccount struct {
	Account    common.Address
	NeededRole [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)
func AssetTokenAccessControlUnauthorizedAccountErrorID() common.Hash {
	return common.HexToHash("0xe2517d3fbfae6f8515ef5ff1ccedc3933ab0cbbda0b492c06eb54ad10ef03b3e")
}

// UnpackAccessControlUnauthorizedAccountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)
func (assetToken *AssetToken) UnpackAccessControlUnauthorizedAccountError(raw []byte) (*AssetTokenAccessControlUnauthorizedAccount, error) {
	out := new(AssetTokenAccessControlUnauthorizedAccount)
	if err := assetToken.abi.UnpackIntoInterface(out, "AccessControlUnauthorizedAccount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AssetTokenAlreadyLocked represents a AlreadyLocked error raised by the AssetToken contract.
type AssetTokenAlreadyLocked struct {
	TokenId *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyLocked(uint256 tokenId)
func AssetTokenAlreadyLockedErrorID() common.Hash {
	return common.HexToHash("0xe7743e318abd53bdc948b41ddb8188adc041c51771f57c745fdf91c1be370c94")
}

// UnpackAlreadyLockedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyLocked(uint256 tokenId)
func (assetToken *AssetToken) UnpackAlreadyLockedError(raw []byte) (*AssetTokenAlreadyLocked, error) {
	out := new(AssetTokenAlreadyLocked)
	if err := assetToken.abi.UnpackIntoInterface(out, "AlreadyLocked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AssetTokenERC721IncorrectOwner represents a ERC721IncorrectOwner error raised by the AssetToken contract.
type AssetTokenERC721IncorrectOwner struct {
	Sender  common.Address
	TokenId *big.Int
	Owner   common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC721IncorrectOwner(address sender, uint256 tokenId, address owner)
func AssetTokenERC721IncorrectOwnerErrorID() common.Hash {
	return common.HexToHash("0x64283d7b313c8117c125f736876fa2b4e90ea3831a4716dfdb87d2f540e26289")
}

// UnpackERC721IncorrectOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC721IncorrectOwner(address sender, uint256 tokenId, address owner)
func (assetToken *AssetToken) UnpackERC721IncorrectOwnerError(raw []byte) (*AssetTokenERC721IncorrectOwner, error) {
	out := new(AssetTokenERC721IncorrectOwner)
	if err := assetToken.abi.UnpackIntoInterface(out, "ERC721IncorrectOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AssetTokenERC721InsufficientApproval represents a ERC721InsufficientApproval error raised by the AssetToken contract.
type AssetTokenERC721InsufficientApproval struct {
	Operator common.Address
	TokenId  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC721InsufficientApproval(address operator, uint256 tokenId)
func AssetTokenERC721InsufficientApprovalErrorID() common.Hash {
	return common.HexToHash("0x177e802f6f313bc89797ecace66d6d29ab4719cbaaacbb87367264048b1eb861")
}

// UnpackERC721InsufficientApprovalError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC721InsufficientApproval(address operator, uint256 tokenId)
func (assetToken *AssetToken) UnpackERC721InsufficientApprovalError(raw []byte) (*AssetTokenERC721InsufficientApproval, error) {
	out := new(AssetTokenERC721InsufficientApproval)
	if err := assetToken.abi.UnpackIntoInterface(out, "ERC721InsufficientApproval", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AssetTokenERC721InvalidApprover represents a ERC721InvalidApprover error raised by the AssetToken contract.
type AssetTokenERC721InvalidApprover struct {
	Approver common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC721InvalidApprover(address approver)
func AssetTokenERC721InvalidApproverErrorID() common.Hash {
	return common.HexToHash("0xa9fbf51f86b8e03595d59dc726bb10c329bb24f62589be276d8dd193ca0b69ea")
}

// UnpackERC721InvalidApproverError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC721InvalidApprover(address approver)
func (assetToken *AssetToken) UnpackERC721InvalidApproverError(raw []byte) (*AssetTokenERC721InvalidApprover, error) {
	out := new(AssetTokenERC721InvalidApprover)
	if err := assetToken.abi.UnpackIntoInterface(out, "ERC721InvalidApprover", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AssetTokenERC721InvalidOperator represents a ERC721InvalidOperator error raised by the AssetToken contract.
type AssetTokenERC721InvalidOperator struct {
	Operator common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC721InvalidOperator(address operator)
func AssetTokenERC721InvalidOperatorErrorID() common.Hash {
	return common.HexToHash("0x5b08ba185e8f577075361f3a3555a6580a227ce22734dcc979c1aeadf894658b")
}

// UnpackERC721InvalidOperatorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC721InvalidOperator(address operator)
func (assetToken *AssetToken) UnpackERC721InvalidOperatorError(raw []byte) (*AssetTokenERC721InvalidOperator, error) {
	out := new(AssetTokenERC721InvalidOperator)
	if err := assetToken.abi.UnpackIntoInterface(out, "ERC721InvalidOperator", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AssetTokenERC721InvalidOwner represents a ERC721InvalidOwner error raised by the AssetToken contract.
type AssetTokenERC721InvalidOwner struct {
	Owner common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC721InvalidOwner(address owner)
func AssetTokenERC721InvalidOwnerErrorID() common.Hash {
	return common.HexToHash("0x89c62b6479af2e623826dcc39c5133061d35b66d72de92833401dd2fd6567480")
}

// UnpackERC721InvalidOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC721InvalidOwner(address owner)
func (assetToken *AssetToken) UnpackERC721InvalidOwnerError(raw []byte) (*AssetTokenERC721InvalidOwner, error) {
	out := new(AssetTokenERC721InvalidOwner)
	if err := assetToken.abi.UnpackIntoInterface(out, "ERC721InvalidOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AssetTokenERC721InvalidReceiver represents a ERC721InvalidReceiver error raised by the AssetToken contract.
type AssetTokenERC721InvalidReceiver struct {
	Receiver common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC721InvalidReceiver(address receiver)
func AssetTokenERC721InvalidReceiverErrorID() common.Hash {
	return common.HexToHash("0x64a0ae9278f805eaf991dcd18ca78756d280b7508b764ef1b255c55845c11df9")
}

// UnpackERC721InvalidReceiverError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC721InvalidReceiver(address receiver)
func (assetToken *AssetToken) UnpackERC721InvalidReceiverError(raw []byte) (*AssetTokenERC721InvalidReceiver, error) {
	out := new(AssetTokenERC721InvalidReceiver)
	if err := assetToken.abi.UnpackIntoInterface(out, "ERC721InvalidReceiver", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AssetTokenERC721InvalidSender represents a ERC721InvalidSender error raised by the AssetToken contract.
type AssetTokenERC721InvalidSender struct {
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC721InvalidSender(address sender)
func AssetTokenERC721InvalidSenderErrorID() common.Hash {
	return common.HexToHash("0x73c6ac6e10798e95d99e1f130d923eb40193ecb8d094ec3dce93292564eb3b17")
}

// UnpackERC721InvalidSenderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC721InvalidSender(address sender)
func (assetToken *AssetToken) UnpackERC721InvalidSenderError(raw []byte) (*AssetTokenERC721InvalidSender, error) {
	out := new(AssetTokenERC721InvalidSender)
	if err := assetToken.abi.UnpackIntoInterface(out, "ERC721InvalidSender", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AssetTokenERC721NonexistentToken represents a ERC721NonexistentToken error raised by the AssetToken contract.
type AssetTokenERC721NonexistentToken struct {
	TokenId *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC721NonexistentToken(uint256 tokenId)
func AssetTokenERC721NonexistentTokenErrorID() common.Hash {
	return common.HexToHash("0x7e273289a3a9ef6670f06df7dca227856fc925e956db96980692764a8bc734d7")
}

// UnpackERC721NonexistentTokenError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC721NonexistentToken(uint256 tokenId)
func (assetToken *AssetToken) UnpackERC721NonexistentTokenError(raw []byte) (*AssetTokenERC721NonexistentToken, error) {
	out := new(AssetTokenERC721NonexistentToken)
	if err := assetToken.abi.UnpackIntoInterface(out, "ERC721NonexistentToken", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AssetTokenNotLocked represents a NotLocked error raised by the AssetToken contract.
type AssetTokenNotLocked struct {
	TokenId *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotLocked(uint256 tokenId)
func AssetTokenNotLockedErrorID() common.Hash {
	return common.HexToHash("0xdebb09c3d4083419d47da1079812fe078afb4c99a4c2c37453e263943321f01a")
}

// UnpackNotLockedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotLocked(uint256 tokenId)
func (assetToken *AssetToken) UnpackNotLockedError(raw []byte) (*AssetTokenNotLocked, error) {
	out := new(AssetTokenNotLocked)
	if err := assetToken.abi.UnpackIntoInterface(out, "NotLocked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AssetTokenTokenLocked represents a TokenLocked error raised by the AssetToken contract.
type AssetTokenTokenLocked struct {
	TokenId *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TokenLocked(uint256 tokenId)
func AssetTokenTokenLockedErrorID() common.Hash {
	return common.HexToHash("0x886574b2eee64153fbfb4ca8878ae1db0724a35326423f17ded4dd325a27a0c0")
}

// UnpackTokenLockedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TokenLocked(uint256 tokenId)
func (assetToken *AssetToken) UnpackTokenLockedError(raw []byte) (*AssetTokenTokenLocked, error) {
	out := new(AssetTokenTokenLocked)
	if err := assetToken.abi.UnpackIntoInterface(out, "TokenLocked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AssetTokenZeroRoleHolder represents a ZeroRoleHolder error raised by the AssetToken contract.
type AssetTokenZeroRoleHolder struct {
	Role [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroRoleHolder(bytes32 role)
func AssetTokenZeroRoleHolderErrorID() common.Hash {
	return common.HexToHash("0xb8a2d47b47f02934718c9c8c6cf747e8f09575b2a7c65e6d809ab8e489768d71")
}

// UnpackZeroRoleHolderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroRoleHolder(bytes32 role)
func (assetToken *AssetToken) UnpackZeroRoleHolderError(raw []byte) (*AssetTokenZeroRoleHolder, error) {
	out := new(AssetTokenZeroRoleHolder)
	if err := assetToken.abi.UnpackIntoInterface(out, "ZeroRoleHolder", raw); err != nil {
		return nil, err
	}
	return out, nil
}
