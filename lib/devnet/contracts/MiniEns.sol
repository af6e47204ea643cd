// SPDX-License-Identifier: MIT
// A minimal ENS registry and address resolver for the local devnet only, so name resolution is
// exercised against real contracts. The deployer owns the root and registers names on demand.
pragma solidity ^0.8.20;

contract MiniEnsRegistry {
    struct Record { address owner; address resolver; }
    mapping(bytes32 => Record) private records;

    event NewOwner(bytes32 indexed node, bytes32 indexed label, address owner);
    event NewResolver(bytes32 indexed node, address resolver);

    constructor() { records[bytes32(0)].owner = msg.sender; }

    modifier authorised(bytes32 node) {
        require(records[node].owner == msg.sender, "not the node owner");
        _;
    }

    function owner(bytes32 node) external view returns (address) { return records[node].owner; }

    function resolver(bytes32 node) external view returns (address) { return records[node].resolver; }

    function setSubnodeOwner(bytes32 node, bytes32 label, address newOwner) external authorised(node) returns (bytes32) {
        bytes32 sub = keccak256(abi.encodePacked(node, label));
        records[sub].owner = newOwner;
        emit NewOwner(node, label, newOwner);
        return sub;
    }

    function setResolver(bytes32 node, address newResolver) external authorised(node) {
        records[node].resolver = newResolver;
        emit NewResolver(node, newResolver);
    }
}

contract MiniEnsResolver {
    MiniEnsRegistry public immutable ens;
    mapping(bytes32 => address) private addrs;

    event AddrChanged(bytes32 indexed node, address a);

    constructor(MiniEnsRegistry registry) { ens = registry; }

    function setAddr(bytes32 node, address a) external {
        require(ens.owner(node) == msg.sender, "not the node owner");
        addrs[node] = a;
        emit AddrChanged(node, a);
    }

    function addr(bytes32 node) external view returns (address) { return addrs[node]; }

    function supportsInterface(bytes4 id) external pure returns (bool) {
        return id == 0x3b3b57de || id == 0x01ffc9a7;
    }
}
