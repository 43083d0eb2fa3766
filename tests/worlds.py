"""Worlds as TOML text that several test modules write to files."""

#: A small valid world with one policy that can never match (a lint finding).
SMALL_WORLD = """\
schema_version = 1

[[states]]
id = "US"
name = "United States"

[[states]]
id = "CN"
name = "China"

[[companies]]
id = "acme"
name = "Acme Chips"
hq = "US"

[[companies]]
id = "buyer"
name = "Buyer Co"
hq = "CN"

[[chips]]
id = "x1"
name = "X1"
designer = "acme"
datacenter = true
throughput = { fp8 = 1000.0 }
die_area_mm2 = 500.0

[[policies]]
id = "us-x1-license"
side = "export"
issuer = "US"
title = "License for X1 to China"
criterion = { type = "all", of = [
  { type = "item_is", ids = ["x1"] },
  { type = "destination_in", states = ["CN"] },
] }
effect = "license_required"
review = "case_by_case"
effective = 2025-01-01

[[policies]]
id = "us-never"
side = "export"
issuer = "US"
title = "Impossible rule"
criterion = { type = "all", of = [
  { type = "spec", fact = "tpp", op = ">=", value = 9000.0 },
  { type = "spec", fact = "tpp", op = "<", value = 100.0 },
] }
effect = "prohibit"
effective = 2025-01-01
"""
