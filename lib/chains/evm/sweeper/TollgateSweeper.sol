// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title TollgateSweeper
/// @notice The code a Tollgate receiver delegates to (EIP-7702), and the batcher that sweeps many
///         receivers in one transaction sent by the instance's hot wallet (the operator).
/// @dev One deployment per instance and network (CREATE2 through the deterministic deployment
///      proxy, salt 0, the operator in the init code: the address follows from the operator).
///      One code, two roles:
///      - on a receiver that delegated here, `sweep` moves the receiver's own tokens (or native
///        coin) to `to`; only the operator or this deployment may call it;
///      - on this deployment, `sweepMany` (operator only) calls `sweep` on each receiver. A
///        receiver whose transfer fails (a blocked address, a paused token) does not stop the
///        others: it is reported by a `Failed` event (one without code, whose authorization did not
///        apply, by `Skipped`), and the successes by the token's own
///        Transfer logs. Items are packed (receiver in the high 160 bits, amount in the low 96)
///        and grouped by token and destination, so a payment costs little calldata.
///      No storage is used: a delegated receiver keeps none of ours, so there is nothing anyone
///      could initialise first. Delegated receivers still accept the native coin (`receive`).
contract TollgateSweeper {
    address public immutable operator;
    address private immutable self;

    struct Group {
        /// the ERC-20 token; address(0) for the native coin
        address token;
        address to;
        /// receiver << 96 | amount
        bytes32[] items;
    }

    /// the receiver's transfer failed (reverted or returned false)
    event Failed(address indexed receiver, address indexed token, address to, uint256 amount);
    /// the receiver has no code (its authorization was not applied): nothing was tried
    event Skipped(address indexed receiver, address indexed token);

    constructor(address operator_) {
        operator = operator_;
        self = address(this);
    }

    receive() external payable {}

    /// @notice Moves `amount` of `token` held by this receiver to `to`; false when the transfer failed.
    function sweep(address token, address to, uint256 amount) external returns (bool) {
        require(msg.sender == self || msg.sender == operator, "TollgateSweeper: not the operator");
        require(address(this) != self, "TollgateSweeper: not a delegated receiver");
        if (token == address(0)) {
            (bool sent, ) = to.call{value: amount}("");
            return sent;
        }
        // transfer(address,uint256); tokens that return nothing (USDT on Ethereum) count as success
        (bool ok, bytes memory ret) = token.call(abi.encodeWithSelector(0xa9059cbb, to, amount));
        return ok && (ret.length == 0 || (ret.length == 32 && abi.decode(ret, (bool))));
    }

    /// @notice Sweeps every item of every group; each failure is emitted as `Failed`.
    function sweepMany(Group[] calldata groups) external {
        require(msg.sender == operator, "TollgateSweeper: not the operator");
        require(address(this) == self, "TollgateSweeper: batches run on the deployment");
        for (uint256 g = 0; g < groups.length; g++) {
            Group calldata grp = groups[g];
            for (uint256 i = 0; i < grp.items.length; i++) {
                uint256 packed = uint256(grp.items[i]);
                address receiver = address(uint160(packed >> 96));
                uint256 amount = packed & type(uint96).max;
                // a high-level call to an account without code would revert the whole batch
                if (receiver.code.length == 0) {
                    emit Skipped(receiver, grp.token);
                    continue;
                }
                bool ok;
                try TollgateSweeper(payable(receiver)).sweep(grp.token, grp.to, amount) returns (bool r) {
                    ok = r;
                } catch {
                    ok = false;
                }
                if (!ok) emit Failed(receiver, grp.token, grp.to, amount);
            }
        }
    }
}
