"""Every catalogue source URL comes from an allowed tier of sources.

The issue "The rulebook, complete and current" asks that every record cite the most
authoritative source that exists, and never a content farm, an aggregator copy, a blog or a
bare IP. This module enforces it on every URL of every record of the loaded catalogue
(``catalog.world()``: states, groups, companies, party lists and their listings, chips, models,
materials, control classes, policies, supply shares and dependencies).

A URL is allowed when its host is a domain of a tier, or a subdomain of one; an entry with a
path ("github.com/aws-neuron") allows only URLs under that path. Bare IP addresses never pass.

Two explicit, exactly asserted sets hold the violations that remain today; both may only shrink:

- ``PENDING``: records of ``policies.toml`` and ``policies_cn.toml``, ``models.toml``,
  ``minerals.toml``, ``classes.toml`` and ``groups.toml``, whose sources are still being
  replaced by first-tier ones.
- ``KEPT_WEAK``: records of the other files whose figure or fact rests, today, on a weak source
  only (no better source was found and read); the record is kept and the source listed here.

A new violation fails the test, and so does a listed pair that no longer occurs (remove it).
"""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import Iterator
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import attrs
import pytest

from geotech import catalog
from geotech.world import World

#: Allowed sources by tier, most authoritative first. One comment line per tier says what
#: qualifies; entries are registrable domains (subdomains included) or "domain/path" prefixes.
TIERS: dict[str, tuple[str, ...]] = {
    # Official texts: governments, regulators, official gazettes and standards bodies.
    "official": (
        "federalregister.gov",
        "govinfo.gov",
        "ecfr.gov",
        "bis.gov",
        "bis.doc.gov",
        "whitehouse.gov",
        "commerce.gov",
        "state.gov",
        "treasury.gov",
        "defense.gov",
        "war.gov",
        "congress.gov",
        "regulations.gov",
        "usgs.gov",
        "mofcom.gov.cn",
        "gov.cn",
        "customs.gov.cn",
        "scio.gov.cn",
        "rijksoverheid.nl",
        "government.nl",
        "officielebekendmakingen.nl",
        "meti.go.jp",
        "mofa.go.jp",
        "europa.eu",
        "gov.uk",
        "iso.org",
    ),
    # Filings and company primary sources: regulators' filing systems and the sites, datasheets
    # and official documentation of the catalogue's own companies (chip designers, fabs, labs).
    "filings": (
        "sec.gov",
        "hkexnews.hk",
        "sse.com.cn",
        "szse.cn",
        "cninfo.com.cn",
        "nvidia.com",
        "nvdam.widen.net",
        "amd.com",
        "intel.com",
        "tsmc.com",
        "asml.com",
        "samsung.com",
        "skhynix.com",
        "micron.com",
        "smics.com",
        "huawei.com",
        "hisilicon.com",
        "cambricon.com",
        "google.com",
        "about.google",
        "abc.xyz",
        "storage.googleapis.com/deepmind-media",
        "microsoft.com",
        "meta.com",
        "openai.com",
        "anthropic.com",
        "x.ai",
        # xAI's own repositories of published weights (Grok-1 on GitHub, Grok 2 on Hugging Face).
        "github.com/xai-org",
        "huggingface.co/xai-org",
        "aws.amazon.com",
        "awsdocs-neuron.readthedocs-hosted.com",
        "github.com/aws-neuron",
        "deepseek.com",
        "github.com/deepseek-ai",
        "alibabagroup.com",
        "qwenlm.github.io",
        "github.com/QwenLM",
        "tencent.com",
        "baidu.com",
        "bytedance.com",
        "volcengine.com",
        "doubao.com",
        "github.com/ByteDance-Seed",
        "github.com/MoonshotAI",
        "moonshot.cn",
        "zhipuai.cn",
        "jd.com",
        "lenovo.com",
        "foxconn.com",
    ),
    # Datasets and research: statistical agencies' peers, research institutes, preprints.
    "research": (
        "epoch.ai",
        "iea.org",
        "cset.georgetown.edu",
        "github.com/georgetown-cset",
        "arxiv.org",
        "csis.org",
        "rand.org",
        "brookings.edu",
        "cnas.org",
        "piie.com",
        "itif.org",
        "semiconductors.org",
        "semi.org",
        "bcg.com",
        "mlcommons.org",
        "raw.githubusercontent.com/mlcommons",
        "jonpeddie.com",
    ),
    # Press of record: international wires and newspapers of record (state news agencies for
    # the official statements of their own government).
    "press": (
        "reuters.com",
        "bloomberg.com",
        "bnnbloomberg.ca",
        "ft.com",
        "wsj.com",
        "nytimes.com",
        "washingtonpost.com",
        "economist.com",
        "apnews.com",
        "bbc.com",
        "bbc.co.uk",
        "cnbc.com",
        "theinformation.com",
        "semianalysis.com",
        "nikkei.com",
        "scmp.com",
        "caixinglobal.com",
        "japantimes.co.jp",
        # The Asahi Shimbun, a Japanese national newspaper of record (English edition).
        "asahi.com",
        "koreajoongangdaily.joins.com",
        "chosun.com",
        "koreaherald.com",
        "yna.co.kr",
        "taipeitimes.com",
        "focustaiwan.tw",
        "channelnewsasia.com",
        "straitstimes.com",
        "businesstimes.com.sg",
        "business-standard.com",
        "news.cn",
        "xinhuanet.com",
        "people.cn",
        "chinadaily.com.cn",
        "chinadailyhk.com",
    ),
    # Major law firms: client alerts and trade-controls blogs on the firms' own sites.
    "law": (
        "akingump.com",
        "sidley.com",
        "cov.com",
        "covingtonblogs.com",
        "hoganlovells.com",
        "mayerbrown.com",
        "thompsonhinesmartrade.com",
        "thompsonhine.com",
        "wiley.law",
        "crowell.com",
        "wilmerhale.com",
        "morganlewis.com",
        "bakermckenzie.com",
        # Baker McKenzie's Global Compliance News, the firm's own compliance blog.
        "globalcompliancenews.com",
        "kirkland.com",
        "whitecase.com",
        "steptoe.com",
        "gibsondunn.com",
        "skadden.com",
        "lw.com",
        "jonesday.com",
        "pillsburylaw.com",
        "hklaw.com",
        "squirepattonboggs.com",
        "reedsmith.com",
        "foxrothschild.com",
        "fenwick.com",
        "wsgr.com",
        "perkinscoie.com",
        "afslaw.com",
        "strtrade.com",
        "hugheshubbard.com",
        "kslaw.com",
        "millerchevalier.com",
        "dlapiper.com",
        "kwm.com",
        "paulweiss.com",
        "mofo.com",
        "arnoldporter.com",
        "gvw.com",
        "freshfields.us",
        "freshfields.com",
        "bassberrygovcontrade.com",
        "bassberry.com",
        "steptoeinternationalcomplianceblog.com",
        "tradepractitioner.com",
        "internationaltradeinsights.com",  # Husch Blackwell's international trade team blog
        "eversheds-sutherland.com",  # Eversheds Sutherland, a global law firm
    ),
    # Established trade press (lowest accepted tier): long-running industry publications.
    "trade": (
        "tomshardware.com",
        "anandtech.com",
        "theregister.com",
        "datacenterdynamics.com",
        "datacenterknowledge.com",
        "trendforce.com",
        "digitimes.com",
        "eetimes.com",
        "eenewseurope.com",
        "semiengineering.com",
        "servethehome.com",
        "nextplatform.com",
        "hpcwire.com",
        "bits-chips.nl",
        "worldecr.com",
        "exportcompliancedaily.com",
        "communicationslitigationtoday.com",
    ),
}


def _pairs(text: str) -> frozenset[tuple[str, str]]:
    """Parse "record URL" lines into (record, URL) pairs."""
    pairs = [tuple(line.split()) for line in text.strip().splitlines()]
    assert all(len(p) == 2 for p in pairs), pairs
    return frozenset((p[0], p[1]) for p in pairs)


#: Files whose records are still being cleaned: their violations are PENDING.
PENDING_FILES = frozenset(
    {
        "policies.toml",
        "policies_cn.toml",
        "models.toml",
        "minerals.toml",
        "classes.toml",
        "groups.toml",
    }
)

#: (record, URL) pairs of PENDING_FILES records that fail today (2), one "record URL" a line.
#: Shrink it as they are fixed.
PENDING = _pairs(
    """
policies[cn-2026-01-30-deepseek-h200-approval] https://24newslatest.com/post/exclusive-china-grants-conditional-nod-for-deepseek-to-procure-nvidias-h200-ai-chips
policies[cn-2026-01-30-deepseek-h200-approval] https://www.tradingpedia.com/2026/01/30/china-oks-deepseeks-nvidia-h200-chip-purchase
"""
)

#: (record, URL) pairs of the other files (16) kept because no better source was found
#: and read: the record's fact rests on this source alone today. One "record URL" a line.
KEPT_WEAK = _pairs(
    """
chips[intel-gaudi2] https://pcguia.pt/2024/04/nvidia-e-amd-tem-um-novo-rival-no-mercado-de-ia-a-intel
chips[intel-gaudi2] https://perma.cc/9SR3-HX6Q
chips[nvidia-rtx-4090d] https://www.tomshw.it/hardware/anche-la-rtx-4090d-e-illegale-gli-usa-vietano-le-gpu-sopra-i-70-teraflops-in-cina-2024-04-04
companies[techinsights] https://news.az/news/china-blacklists-techinsights-after-huawei-chip-detail-disclosures
party_lists[cn-unreliable-entity-list].listings[techinsights@2025-10-09] https://news.az/news/china-blacklists-techinsights-after-huawei-chip-detail-disclosures
party_lists[cn-unreliable-entity-list].listings[techinsights@2025-10-09] https://report.az/en/other-countries/china-commerce-ministry-adds-14-foreign-entities-to-unreliable-entity-list
party_lists[us-dod-1260h].listings[alibaba@2026-02-13] https://www.kharon.com/brief/us-china-news-alibaba-byd-defense-department-1260h
party_lists[us-dod-1260h].listings[alibaba@2026-02-13] https://www.military.com/daily-news/2026/02/13/chinese-company-names-suddenly-withdrawn-federal-us-government-list.html
party_lists[us-dod-1260h].listings[alibaba@2026-02-13] https://www.thenationalnews.com/news/us/2026/02/13/alibaba-and-byd-briefly-added-to-pentagons-chinese-military-companies-list
party_lists[us-dod-1260h].listings[megvii@2024-01-31] https://www.notebookcheck.net/U-S-Defense-Department-adds-Tencent-CATL-and-CXMT-to-Chinese-military-linked-companies-list.943060.0.html
party_lists[us-dod-1260h].listings[baidu@2026-02-13] https://www.arabnews.pk/node/2624097/world
party_lists[us-dod-1260h].listings[baidu@2026-02-13] https://www.washingtonexaminer.com/policy/defense/4457721/government-withdraws-published-companies-ties-chinese-military
supply_shares[rare-earth-magnets/magnets/CN@2025-10-23] https://rareearthexchanges.com/news/the-mineral-chessboard-iea-sounds-alarm-as-china-tightens-its-grip
supply_shares[rare-earths-ho-er-tm-eu-yb/refining/CN@2025-08-30] https://rareearthexchanges.com/?p=11084
supply_shares[rare-earths-light/refining/CN@2023-12-31] https://seaisi.org/details/24787?type=news-rooms
supply_shares[rare-earths-medium-heavy/refining/CN@2025-08-30] https://rareearthexchanges.com/?p=11084
"""
)


def tier(url: str) -> str | None:
    """The tier that allows ``url``, or ``None``; bare IP addresses are never allowed."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return None
    where = host + parts.path
    for name, entries in TIERS.items():
        for entry in entries:
            domain, _, path = entry.partition("/")
            if host != domain and not host.endswith("." + domain):
                continue
            if not path or where.startswith(f"{host}/{path}"):
                return name
    return None


def _records(world: World) -> Iterator[tuple[str, Any]]:
    """(record id, record) for every record and every nested record that carries sources."""
    for kind in (a.name for a in attrs.fields(World) if a.init):
        for index, record in enumerate(getattr(world, kind)):
            rid = _rid(kind, record, index)
            yield rid, record
            for field in attrs.fields(type(record)):
                value = getattr(record, field.name)
                if isinstance(value, tuple):
                    for child in value:
                        if attrs.has(type(child)) and hasattr(child, "sources"):
                            yield f"{rid}.{field.name}[{_key(child)}]", child


def _key(record: Any) -> str:
    return str(getattr(record, "company", None) or getattr(record, "id", "?")) + (
        f"@{record.start.isoformat()}" if hasattr(record, "start") else ""
    )


def _rid(kind: str, record: Any, index: int) -> str:
    if kind == "supply_shares":
        return f"{kind}[{record.material}/{record.stage}/{record.state}@{record.as_of}]"
    if kind == "dependencies":
        return f"{kind}[{record.item}/{record.material}]"
    return f"{kind}[{getattr(record, 'id', index)}]"


def _file_of_ids() -> dict[tuple[str, str], str]:
    """(kind, id) -> data file, for the records that have an id (used for PENDING only)."""
    root = resources.files(catalog).joinpath("data")
    out: dict[tuple[str, str], str] = {}
    for name in catalog.data_files():
        data = tomllib.loads(root.joinpath(name).read_text(encoding="utf-8"))
        for kind, records in data.items():
            if isinstance(records, list):
                for record in records:
                    if isinstance(record, dict) and "id" in record:
                        out[kind, record["id"]] = name
    return out


@pytest.fixture(scope="module")
def violations() -> dict[str, set[tuple[str, str]]]:
    files = _file_of_ids()
    found: dict[str, set[tuple[str, str]]] = {"pending": set(), "kept": set()}
    for rid, record in _records(catalog.world()):
        kind, _, rest = rid.partition("[")
        name = files.get((kind, rest.split("]")[0]), "")
        for url in record.sources:
            if tier(url) is None:
                found["pending" if name in PENDING_FILES else "kept"].add((rid, url))
    return found


def test_tiers_are_disjoint_and_lowercase() -> None:
    entries = [e for group in TIERS.values() for e in group]
    assert len(entries) == len(set(entries))
    assert all(e.split("/")[0] == e.split("/")[0].lower() for e in entries)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.federalregister.gov/d/2025-05427", "official"),
        ("https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-gallium.pdf", "official"),
        ("https://english.www.gov.cn/policies/", "official"),
        ("https://github.com/aws-neuron/aws-neuron-sdk/blob/master/x.rst", "filings"),
        ("https://github.com/someone/copy-of-a-datasheet", None),
        ("https://epoch.ai/data/machine-learning-hardware", "research"),
        ("https://asia.nikkei.com/Economy/Trade/x", "press"),
        ("https://sanctionsnews.bakermckenzie.com/x/", "law"),
        ("https://www.covingtonblogs.com/2023/07/06/x/", "law"),
        ("https://www.tomshardware.com/news/x", "trade"),
        ("https://samarium.dev/news/x", None),
        ("https://notreuters.com/x", None),
        ("http://3.127.128.221/x", None),
        ("http://[2001:db8::1]/x", None),
    ],
)
def test_tier_of(url: str, expected: str | None) -> None:
    assert tier(url) == expected


def test_every_catalogue_url_is_on_an_allowed_tier(
    violations: dict[str, set[tuple[str, str]]],
) -> None:
    new = sorted((violations["pending"] - PENDING) | (violations["kept"] - KEPT_WEAK))
    assert new == [], "sources on no allowed tier (record, URL):\n" + "\n".join(map(str, new))


def test_pending_and_kept_sets_only_shrink(violations: dict[str, set[tuple[str, str]]]) -> None:
    fixed = sorted((PENDING - violations["pending"]) | (KEPT_WEAK - violations["kept"]))
    assert fixed == [], "fixed: remove from PENDING/KEPT_WEAK:\n" + "\n".join(map(str, fixed))


def test_every_record_kind_is_checked() -> None:
    kinds = {rid.split("[")[0] for rid, _ in _records(catalog.world())}
    assert kinds >= {
        "states",
        "groups",
        "companies",
        "party_lists",
        "chips",
        "models",
        "materials",
        "classes",
        "policies",
        "supply_shares",
        "dependencies",
    }
