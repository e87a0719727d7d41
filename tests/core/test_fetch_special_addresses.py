"""Every IANA special-purpose range is refused, for IPv4 and IPv6 (issue 11, item 9): a table of one address in
each range, checked by the rule and by a real fetch of the literal address (refused before connecting)."""

import ipaddress

import pytest

from loket.core.fetch import FetchError, fetch, is_public_address

REFUSED_IPV4 = [
    "0.1.2.3",  # "this network"
    "10.20.30.40",
    "100.64.0.1",
    "127.0.0.53",
    "169.254.169.254",
    "172.31.255.254",
    "192.0.0.8",  # IPv4 dummy address
    "192.0.0.9",  # PCP anycast (IANA: globally reachable, still refused)
    "192.0.0.170",  # NAT64/DNS64 discovery
    "192.0.2.10",
    "192.31.196.1",  # AS112-v4
    "192.52.193.1",  # AMT
    "192.88.99.1",  # deprecated 6to4 relay anycast
    "192.168.0.1",
    "192.175.48.1",  # AS112 direct delegation
    "198.18.0.1",
    "198.19.255.254",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.251",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
]
REFUSED_IPV6 = [
    "::",
    "::1",
    "::ffff:8.8.8.8",  # IPv4-mapped, even of a public address
    "::8.8.8.8",  # IPv4-compatible (deprecated)
    "64:ff9b::808:808",  # NAT64
    "64:ff9b:1::1",
    "100::1",  # discard-only
    "100:0:0:1::1",  # dummy prefix
    "2001::1",  # Teredo
    "2001:2::1",  # benchmarking
    "2001:3::1",  # AMT
    "2001:4:112::1",  # AS112
    "2001:20::1",  # ORCHIDv2
    "2001:30::1",  # drone remote ID
    "2001:db8::1",
    "2002:808:808::1",  # 6to4 of a public address
    "2620:4f:8000::1",  # AS112 direct delegation
    "3fff::1",  # documentation: is_global is True in Python 3.11
    "3fff:fff::1",
    "5f00::1",  # SRv6 SIDs
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fec0::1",  # site local (deprecated): is_global is True in Python 3.11
    "feff::1",
    "ff02::1",
    "4000::1",  # outside global unicast 2000::/3
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "193.191.210.7", "2001:4860:4860::8888", "2a02:1800:100::1", "2600::1"]


@pytest.mark.parametrize("address", REFUSED_IPV4 + REFUSED_IPV6)
def test_special_purpose_address_is_refused(address: str, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOKET_ALLOW_PRIVATE_FETCH = []
    assert is_public_address(ipaddress.ip_address(address)) is False
    literal = f"[{address}]" if ":" in address else address
    with pytest.raises(FetchError) as refused:
        fetch(f"http://{literal}/besluit", max_bytes=1000, timeout=1)
    assert refused.value.code == "internal_address"


@pytest.mark.parametrize("address", PUBLIC)
def test_public_address_is_allowed(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is True


def test_python_is_global_is_not_relied_on() -> None:
    """The two ranges the red team got through: Python 3.11 calls them global."""
    assert [is_public_address(ipaddress.ip_address(a)) for a in ("fec0::1", "3fff::1")] == [False, False]
