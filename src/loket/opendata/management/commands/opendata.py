"""`manage.py opendata rebuild` (empty the SPARQL store and load the public projection again), `check` (name every
difference between the store and the database; exit 1 when there is one), `sync` (apply the change feed now),
`dump [DATASET ...]` (regenerate dumps now; all datasets without names), `codelists` (bring the public code lists
up to date with `data/codelists/*.ttl`)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from loket.core.linkeddata import datasets


class Command(BaseCommand):
    help = "Open data: rebuild or check the SPARQL store, apply the change feed, regenerate dumps."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["rebuild", "check", "sync", "dump", "codelists"])
        parser.add_argument("datasets", nargs="*")

    def handle(self, *args: Any, **options: Any) -> None:
        from loket.opendata import store
        from loket.opendata.dumps import dump_dataset

        action = options["action"]
        if action == "codelists":
            from loket.opendata.codelists import codelists_sync

            created, changed, removed = codelists_sync()
            self.stdout.write(f"Code lists: {created} new, {changed} changed, {removed} removed.")
            return
        if action == "rebuild":
            report = store.rebuild()
            self.stdout.write(
                f"{report.applied} instances loaded; the store follows the change feed from #{report.position}."
            )
        elif action == "sync":
            report = store.sync(limit=10**9)
            self.stdout.write(f"{report.applied} instances brought up to date; at #{report.position}.")
        elif action == "check":
            differences = store.check()
            for line in differences:
                self.stdout.write(line)
            if differences:
                raise CommandError(f"{len(differences)} difference(s) between the store and the database.")
            self.stdout.write("The store matches the database's public projection.")
        else:
            known = {dataset.name for dataset in datasets()}
            chosen = options["datasets"] or sorted(known)
            unknown = sorted(set(chosen) - known)
            if unknown:
                raise CommandError(f"Unknown dataset(s): {', '.join(unknown)}. Known: {', '.join(sorted(known))}.")
            for name in chosen:
                result = dump_dataset(name)
                self.stdout.write(f"{name}: {result.triples} triples")
