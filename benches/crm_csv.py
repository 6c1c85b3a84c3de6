#!/usr/bin/env python3
"""Writes a HubSpot-shaped deals export (the header of
crates/debrief/tests/fixtures/crm/hubspot-deals.csv: 42 columns, every field
quoted, "Associated Company" twice) with N rows, reproducibly.

    benches/crm_csv.py 1000000 > deals.csv
"""
import csv
import random
import sys

FIXTURE = "crates/debrief/tests/fixtures/crm/hubspot-deals.csv"


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rng = random.Random(7)
    with open(FIXTURE, newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    col = {name: i for i, name in reversed(list(enumerate(header)))}
    owners = [f"Owner {i:02d}" for i in range(20)]
    companies = [f"Company {i:05d} Ltd" for i in range(50_000)]
    stages = [("Closed won", "true", "true"), ("Closed lost", "true", "false"), ("Closed: abandoned", "true", "false"),
              ("Appointment scheduled", "false", "false"), ("Awaiting procurement", "false", "false"),
              ("Contract sent", "false", "false")]
    weights = [20, 30, 5, 15, 10, 20]
    reasons = ["Price too high", "Chose competitor", "No budget this year", "", "", "Went dark after demo",
               "Timing - revisit next quarter", "Champion left the company"]
    out = csv.writer(sys.stdout, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    out.writerow(header)
    for i in range(n):
        row = [""] * len(header)
        stage, closed, won = rng.choices(stages, weights)[0]
        day = rng.randrange(0, 330)
        created = f"2026-{1 + day // 31:02d}-{1 + day % 28:02d} {8 + rng.randrange(10):02d}:{rng.randrange(60):02d}"
        close_day = min(day + rng.randrange(1, 40), 333)
        close = f"2026-{1 + close_day // 31:02d}-{1 + close_day % 28:02d} {8 + rng.randrange(10):02d}:{rng.randrange(60):02d}"
        # An account has an owner: nine deals in ten go to the account's owner.
        c = rng.randrange(len(companies))
        company = companies[c]
        owner = owners[c % len(owners)] if rng.random() < 0.9 else rng.choice(owners)
        row[col["Record ID"]] = str(10_000_000 + i)
        row[col["Deal Name"]] = f"{company} - {rng.randrange(5, 500)} seats"
        row[col["Associated Company IDs"]] = str(900_000 + c)
        row[col["Associated Company"]] = company
        row[col["Deal Stage"]] = stage
        row[col["Pipeline"]] = "Sales Pipeline"
        row[col["Close Date"]] = close if closed == "true" else "2027-03-31 00:00"
        row[col["Create Date"]] = created
        row[col["Deal owner"]] = owner
        row[col["Amount"]] = str(rng.randrange(1_000, 250_000))
        row[col["Deal Type"]] = rng.choice(["New Business", "Existing Business", ""])
        row[col["Is Deal Closed?"]] = closed
        row[col["Is Closed Won"]] = won
        row[col["Closed Lost Reason"]] = rng.choice(reasons) if closed == "true" and won == "false" else ""
        row[col["Deal Description"]] = "" if rng.random() < 0.7 else f"Follow-up after the {rng.choice(['demo', 'trial', 'call'])}; next step {rng.choice(['quote', 'meeting', 'none'])}."
        row[col["Currency"]] = "EUR"
        row[col["Deal probability"]] = "1" if won == "true" else "0.4"
        out.writerow(row)


if __name__ == "__main__":
    main()
