"""Sample report pairs in the Loket's test formats (the test taxonomy in `sample_taxonomy/` and the test XML
format `sample_schemas/rapport-2025.xsd`): for the demo, the tests and the benchmark. `manage.py reports sample`
writes a pair to try the module by hand."""

from pathlib import Path

SAMPLE_TAXONOMY_DIR = Path(__file__).with_name("sample_taxonomy")
SAMPLE_XSD = Path(__file__).with_name("sample_schemas") / "rapport-2025.xsd"
XML_NAMESPACE = "http://schemas.bbcdr.test/2025/rapport"


def sample_xbrl(
    *,
    kbo: str,
    year: int = 2025,
    report_type: str = "jaarrekening",
    facts: int = 20,
    schema_ref: str = "",
    lines_per_context: int = 0,
) -> bytes:
    """An instance with `facts` facts: by default two per context (Ontvangsten, Uitgaven); with
    `lines_per_context` (at most 50), that many budget lines (Post001…) per context, as a large real report has."""
    if lines_per_context:
        return _sample_xbrl_lines(kbo=kbo, year=year, report_type=report_type, facts=facts, per=lines_per_context)
    href = schema_ref or f"http://taxonomy.bbcdr.test/2025/{report_type}.xsd"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:link="http://www.xbrl.org/2003/linkbase"',
        '  xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:iso4217="http://www.xbrl.org/2003/iso4217"',
        '  xmlns:bbcdr="http://taxonomy.bbcdr.test/2025/core">',
        f'  <link:schemaRef xlink:type="simple" xlink:href="{href}"/>',
        '  <xbrli:context id="boekjaar">',
        f'    <xbrli:entity><xbrli:identifier scheme="http://www.fgov.be">{kbo}</xbrli:identifier></xbrli:entity>',
        f"    <xbrli:period><xbrli:startDate>{year}-01-01</xbrli:startDate>"
        f"<xbrli:endDate>{year}-12-31</xbrli:endDate></xbrli:period>",
        "  </xbrli:context>",
    ]
    for index in range(facts // 2):
        lines += [
            f'  <xbrli:context id="c{index}">',
            f'    <xbrli:entity><xbrli:identifier scheme="http://www.fgov.be">{kbo}</xbrli:identifier></xbrli:entity>',
            f"    <xbrli:period><xbrli:startDate>{year}-01-01</xbrli:startDate>"
            f"<xbrli:endDate>{year}-12-31</xbrli:endDate></xbrli:period>",
            "  </xbrli:context>",
        ]
    lines += ['  <xbrli:unit id="EUR"><xbrli:measure>iso4217:EUR</xbrli:measure></xbrli:unit>']
    lines += [f'  <bbcdr:Boekjaar contextRef="boekjaar">{year}</bbcdr:Boekjaar>']
    for index in range(facts // 2):
        lines += [
            f'  <bbcdr:Ontvangsten contextRef="c{index}" unitRef="EUR" decimals="2">{1000 + index}.50'
            "</bbcdr:Ontvangsten>",
            f'  <bbcdr:Uitgaven contextRef="c{index}" unitRef="EUR" decimals="2">{900 + index}.25</bbcdr:Uitgaven>',
        ]
    lines.append("</xbrli:xbrl>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _sample_xbrl_lines(*, kbo: str, year: int, report_type: str, facts: int, per: int) -> bytes:
    per = max(1, min(per, 50))
    contexts = -(-facts // per)
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:link="http://www.xbrl.org/2003/linkbase"',
        '  xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:iso4217="http://www.xbrl.org/2003/iso4217"',
        '  xmlns:bbcdr="http://taxonomy.bbcdr.test/2025/core">',
        f'  <link:schemaRef xlink:type="simple" xlink:href="http://taxonomy.bbcdr.test/2025/{report_type}.xsd"/>',
        '  <xbrli:unit id="EUR"><xbrli:measure>iso4217:EUR</xbrli:measure></xbrli:unit>',
    ]
    body = []
    for index in range(contexts):
        body += [
            f'  <xbrli:context id="c{index}">',
            f'    <xbrli:entity><xbrli:identifier scheme="http://www.fgov.be">{kbo}</xbrli:identifier></xbrli:entity>',
            f"    <xbrli:period><xbrli:startDate>{year}-01-01</xbrli:startDate>"
            f"<xbrli:endDate>{year}-12-31</xbrli:endDate></xbrli:period>",
            "  </xbrli:context>",
        ]
    body.append(f'  <bbcdr:Boekjaar contextRef="c0">{year}</bbcdr:Boekjaar>')
    written = 0
    for index in range(contexts):
        for line in range(1, per + 1):
            if written == facts:
                break
            body.append(
                f'  <bbcdr:Post{line:03d} contextRef="c{index}" unitRef="EUR" decimals="2">'
                f"{(index * 7919 + line * 104729) % 1000000}.{line:02d}</bbcdr:Post{line:03d}>"
            )
            written += 1
    return ("\n".join([*head, *body, "</xbrli:xbrl>"]) + "\n").encode("utf-8")


def sample_xml(*, kbo: str, year: int = 2025, report_type: str = "jaarrekening", posts: int = 30) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<Rapport xmlns="{XML_NAMESPACE}" soort="{report_type}">',
        f"  <Bestuur><KBO>{kbo}</KBO><Naam>Testbestuur</Naam></Bestuur>",
        f"  <Boekjaar>{year}</Boekjaar>",
        f"  <Periode><Begin>{year}-01-01</Begin><Einde>{year}-12-31</Einde></Periode>",
    ]
    lines += [f'  <Post code="P{index:04d}">{1000 + index}.50</Post>' for index in range(posts)]
    lines.append("</Rapport>")
    return ("\n".join(lines) + "\n").encode("utf-8")
