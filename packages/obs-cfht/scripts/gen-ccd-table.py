#!/usr/bin/env python3
"""Regenerates src/ccdTable.ts from test/fixtures/header-values.json (run
test/fixtures/gen_header_fixtures.py first). Usage: python3 scripts/gen-ccd-table.py"""
import json, os

here = os.path.dirname(os.path.abspath(__file__))
d = json.load(open(os.path.join(here, "../test/fixtures/header-values.json")))["1927963o"]["extensions"]
rows = [f'  ["{e["EXTNAME_LAST"]}", "{e["CCDNAME"]}", "{e["DETSEC"]}", {e["GAINA"]}, {e["GAINB"]}, {e["RDNOISEA"]}, {e["RDNOISEB"]}],' for e in d]
head = open(os.path.join(here, "../src/ccdTable.ts")).read().split("export const MEGACAM_CCDS")[0]
open(os.path.join(here, "../src/ccdTable.ts"), "w").write(
    head + "export const MEGACAM_CCDS: readonly MegacamCcdRow[] = [\n" + "\n".join(rows) + "\n];\n")
