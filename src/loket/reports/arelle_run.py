"""Run Arelle on one XBRL instance, offline, and print its findings as JSON lines on stdout.

Started as its own process by `xbrl.validate_xbrl` (`python -m loket.reports.arelle_run FILE [PACKAGE.zip ...]`):
Arelle keeps global state and can use much memory on a large instance; a process of its own is freed completely
when it ends and can be given a time limit. Internet connectivity is off: nothing is ever downloaded; a taxonomy
is available only through the packages given.
"""

import json
import sys


def main(argv: list[str]) -> int:
    from arelle.api.Session import Session
    from arelle.logging.handlers.StructuredMessageLogHandler import StructuredMessageLogHandler
    from arelle.RuntimeOptions import RuntimeOptions

    instance, packages = argv[0], argv[1:]
    options = RuntimeOptions(
        entrypointFile=instance,
        internetConnectivity="offline",
        validate=True,
        packages=packages or None,
        keepOpen=False,
        logFormat="[%(messageCode)s] %(message)s",
    )
    with Session() as session:
        session.run(options, logHandler=StructuredMessageLogHandler())
        log = json.loads(session.get_logs("json")).get("log", [])
    for record in log:
        if record.get("level") in {"info", "debug"}:
            continue
        refs = record.get("refs") or [{}]
        message = record.get("message") or {}
        print(
            json.dumps(
                {
                    "code": record.get("code", ""),
                    "level": record.get("level", ""),
                    "text": message.get("text", ""),
                    "url": (message.get("args") or {}).get("url", ""),
                    "line": refs[0].get("sourceLine"),
                },
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
