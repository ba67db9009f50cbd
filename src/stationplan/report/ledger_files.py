"""The partnership ledger as a CSV table: one row per partner and calendar year.

Columns: the ledger's fields (share, and each utilisation resource entitled, used and the
balance carried forward) followed by the spending fields (modules, flights, common costs,
barter net, total, cumulative, present value), in the units their names state (h, kg, kWh,
site-years, million USD).
"""

from __future__ import annotations

import csv
import io

from stationplan.program.ledger import FinanceRow, LedgerRow, Partnership

LEDGER_COLUMNS = tuple(LedgerRow.model_fields) + tuple(
    name for name in FinanceRow.model_fields if name not in ("partner", "year")
)


def ledger_csv(partnership: Partnership) -> str:
    """``partnership``'s ledger and spending per partner-year as CSV text (header first)."""
    money = {(r.partner, r.year): r for r in partnership.finance}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=LEDGER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in partnership.ledger:
        values = row.model_dump()
        spend = money.get((row.partner, row.year))
        if spend is not None:
            values.update(spend.model_dump(exclude={"partner", "year"}))
        writer.writerow(values)
    return buffer.getvalue()
