// SPDX-License-Identifier: MIT
// A minimal ERC-20 for tests and local development: 6 decimals like USDT and
// USDC, and anyone may mint. Like USDT's contract it can charge a fee on
// transfer, so tests see a transfer deliver less than its call names.
// Rebuild TestToken.json with `npm run build:test-token`.
pragma solidity ^0.8.20;

contract TestToken {
    string public constant name = "Payframe Test Dollar";
    string public constant symbol = "PTD";
    uint8 public constant decimals = 6;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    uint256 public feeBps;
    bool public feeLoggedFirst;
    address public feeCollector;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    function mint(address to, uint256 value) external {
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _move(msg.sender, to, value);
        return true;
    }

    /// The fee goes to the caller; with loggedFirst its Transfer log precedes the payee's, as in USDT.
    function setFee(uint256 bps, bool loggedFirst) external {
        feeBps = bps;
        feeLoggedFirst = loggedFirst;
        feeCollector = msg.sender;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        require(allowed >= value, "allowance");
        allowance[from][msg.sender] = allowed - value;
        _move(from, to, value);
        return true;
    }

    function _move(address from, address to, uint256 value) private {
        require(balanceOf[from] >= value, "balance");
        balanceOf[from] -= value;
        uint256 fee = (value * feeBps) / 10000;
        if (fee > 0 && feeLoggedFirst) _credit(from, feeCollector, fee);
        _credit(from, to, value - fee);
        if (fee > 0 && !feeLoggedFirst) _credit(from, feeCollector, fee);
    }

    function _credit(address from, address to, uint256 value) private {
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}
