// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC721URIStorage} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721URIStorage.sol";
import {ERC721Utils} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Utils.sol";

/// @title AssetToken
/// @notice One ERC-721 token per tokenized real-world asset. Each token carries a URI and the hash of
/// its off-chain metadata; the lender can lock a token as loan collateral and seize it on default.
///
/// Roles:
/// - DEFAULT_ADMIN_ROLE grants and revokes the other roles.
/// - MINTER_ROLE mints tokens and updates their metadata (revaluation).
/// - LENDER_ROLE locks, unlocks and seizes tokens.
///
/// While a token is locked, every transfer path reverts with {TokenLocked}: transferFrom, both
/// safeTransferFrom variants, and transfers by an approved address or operator. Approvals may still
/// be granted, but cannot be used until the token is unlocked. The only way a locked token moves is
/// {seize}.
///
/// Seizure: {seize} moves a locked token to the address the lender names and the token STAYS LOCKED.
/// The previous owner is no longer the owner, and the transfer cleared any per-token approval, so
/// neither the previous owner nor any operator of theirs can move it. What happens next is the
/// lender's decision alone: {unlock} it to liquidate it by an ordinary transfer, or {seize} it again
/// to move it elsewhere. {seized} tells whether a token has ever been seized.
contract AssetToken is ERC721URIStorage, AccessControl {
    /// @notice Role allowed to mint tokens and update their metadata.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Role allowed to lock, unlock and seize tokens.
    bytes32 public constant LENDER_ROLE = keccak256("LENDER_ROLE");

    mapping(uint256 tokenId => bytes32) private _metadataHashes;
    mapping(uint256 tokenId => bool) private _locked;
    mapping(uint256 tokenId => bool) private _seized;

    /// @notice A token was minted to `to` with its URI and metadata hash.
    event Minted(uint256 indexed tokenId, address indexed to, string uri, bytes32 metadataHash);
    /// @notice The lender locked a token as collateral.
    event Locked(uint256 indexed tokenId);
    /// @notice The lender released a token.
    event Unlocked(uint256 indexed tokenId);
    /// @notice The lender seized a locked token from `from` and moved it to `to`; it stays locked.
    event Seized(uint256 indexed tokenId, address indexed from, address indexed to);

    /// @notice A transfer (or burn) of a locked token was attempted.
    error TokenLocked(uint256 tokenId);
    /// @notice unlock or seize was called on a token that is not locked.
    error NotLocked(uint256 tokenId);
    /// @notice lock was called on a token that is already locked.
    error AlreadyLocked(uint256 tokenId);
    /// @notice The constructor was given the zero address for `role`.
    error ZeroRoleHolder(bytes32 role);

    /// @param name_ the collection name
    /// @param symbol_ the collection symbol
    /// @param admin holder of DEFAULT_ADMIN_ROLE
    /// @param minter holder of MINTER_ROLE
    /// @param lender holder of LENDER_ROLE
    constructor(string memory name_, string memory symbol_, address admin, address minter, address lender)
        ERC721(name_, symbol_)
    {
        if (admin == address(0)) revert ZeroRoleHolder(DEFAULT_ADMIN_ROLE);
        if (minter == address(0)) revert ZeroRoleHolder(MINTER_ROLE);
        if (lender == address(0)) revert ZeroRoleHolder(LENDER_ROLE);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, minter);
        _grantRole(LENDER_ROLE, lender);
    }

    /// @notice Mints `tokenId` to `to` with its URI and metadata hash.
    /// @dev Emits Transfer, MetadataUpdate and Minted. If `to` is a contract it must accept ERC-721
    /// tokens (as with _safeMint); the check runs last, after all state is written.
    function mint(address to, uint256 tokenId, string calldata uri, bytes32 metadataHash_)
        external
        onlyRole(MINTER_ROLE)
    {
        _mint(to, tokenId);
        _setTokenURI(tokenId, uri);
        _metadataHashes[tokenId] = metadataHash_;
        emit Minted(tokenId, to, uri, metadataHash_);
        ERC721Utils.checkOnERC721Received(_msgSender(), address(0), to, tokenId, "");
    }

    /// @notice Replaces a token's URI and metadata hash (revaluation). Allowed while locked.
    /// @dev Emits the ERC-4906 MetadataUpdate event.
    function setMetadata(uint256 tokenId, string calldata uri, bytes32 metadataHash_)
        external
        onlyRole(MINTER_ROLE)
    {
        _requireOwned(tokenId);
        _metadataHashes[tokenId] = metadataHash_;
        _setTokenURI(tokenId, uri);
    }

    /// @notice The hash of a token's off-chain metadata. Reverts for a token that does not exist.
    function metadataHash(uint256 tokenId) external view returns (bytes32) {
        _requireOwned(tokenId);
        return _metadataHashes[tokenId];
    }

    /// @notice Locks a token as collateral: no transfer path can move it until {unlock} or {seize}.
    function lock(uint256 tokenId) external onlyRole(LENDER_ROLE) {
        _requireOwned(tokenId);
        if (_locked[tokenId]) revert AlreadyLocked(tokenId);
        _locked[tokenId] = true;
        emit Locked(tokenId);
    }

    /// @notice Releases a locked token.
    function unlock(uint256 tokenId) external onlyRole(LENDER_ROLE) {
        _requireOwned(tokenId);
        if (!_locked[tokenId]) revert NotLocked(tokenId);
        _locked[tokenId] = false;
        emit Unlocked(tokenId);
    }

    /// @notice Moves a locked token to `to` on default. The token stays locked.
    /// @dev No receiver callback is made: `to` is the lender's own choice of address.
    function seize(uint256 tokenId, address to) external onlyRole(LENDER_ROLE) {
        address from = _requireOwned(tokenId);
        if (!_locked[tokenId]) revert NotLocked(tokenId);
        _locked[tokenId] = false;
        _transfer(from, to, tokenId);
        _locked[tokenId] = true;
        _seized[tokenId] = true;
        emit Seized(tokenId, from, to);
    }

    /// @notice Whether a token is locked. Reverts for a token that does not exist.
    function locked(uint256 tokenId) external view returns (bool) {
        _requireOwned(tokenId);
        return _locked[tokenId];
    }

    /// @notice Whether a token has been seized. Reverts for a token that does not exist.
    function seized(uint256 tokenId) external view returns (bool) {
        _requireOwned(tokenId);
        return _seized[tokenId];
    }

    /// @dev Every ownership change (transfer, mint, burn) passes here. Only existing tokens can be
    /// locked, so this blocks exactly the transfers of locked tokens; {seize} clears the lock around
    /// its own transfer.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        if (_locked[tokenId]) revert TokenLocked(tokenId);
        return super._update(to, tokenId, auth);
    }

    /// @inheritdoc ERC721URIStorage
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(ERC721URIStorage, AccessControl)
        returns (bool)
    {
        return super.supportsInterface(interfaceId);
    }
}
