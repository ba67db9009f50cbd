"""Partnership: shares, allocations, ledger, costs, duplication, join/withdraw."""
