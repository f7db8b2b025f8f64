"""Load many organisations from a CSV file, reporting on every row."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from core.text import one_line
from core.uploads import Refused, read_capped
from members.models import REGIONS, Organisation, OrganisationDomain, normalise_domain, validate_domain

MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 2000
HEADER = ["name", "type", "region", "domains"]


@dataclass
class RowResult:
    line: int
    name: str
    imported: bool
    reasons: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowResult]
    error: str = ""

    @property
    def imported(self) -> list[RowResult]:
        return [row for row in self.rows if row.imported]

    @property
    def rejected(self) -> list[RowResult]:
        return [row for row in self.rows if not row.imported]


def _kind_for(value: str) -> str | None:
    wanted = value.strip().lower()
    for kind, label in Organisation.Kind.choices:
        if wanted in {kind, label.lower()}:
            return kind
    return None


def _region_for(value: str) -> str | None:
    wanted = value.strip().lower()
    if not wanted:
        return ""
    return next((region for region in REGIONS if region.lower() == wanted), None)


def _row_problems(name: str, kind: str | None, region: str | None, domains: list[str]) -> list[str]:
    problems = []
    if not name:
        problems.append("The name is missing.")
    elif len(name) > 200:
        problems.append("The name is longer than 200 characters.")
    elif Organisation.objects.filter(name__iexact=name).exists():
        problems.append("An organisation with this name already exists.")
    if kind is None:
        problems.append("The type is not one we know. Use one of: " + ", ".join(Organisation.Kind.labels) + ".")
    if region is None:
        problems.append("The region is not one we know. Use one of: " + ", ".join(REGIONS) + ".")
    if not domains:
        problems.append("There are no email domains.")
    for domain in domains:
        try:
            validate_domain(domain)
        except ValidationError:
            problems.append(f"‘{domain}’ is not an email domain.")
            continue
        owner = OrganisationDomain.objects.filter(domain=domain).select_related("organisation").first()
        if owner is not None:
            problems.append(f"‘{domain}’ already belongs to {owner.organisation.name}.")
    if len(set(domains)) != len(domains):
        problems.append("A domain is listed twice.")
    return problems


def _decode(upload) -> str:
    try:
        raw = read_capped(upload, MAX_IMPORT_BYTES)
    except Refused:
        raise ValueError("The file must be smaller than 1MB.") from None
    if b"\x00" in raw:
        raise ValueError("The file must be a CSV file.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError("The file must be a CSV file saved as UTF-8.") from error


def organisations_import(*, upload) -> ImportReport:
    """Create an organisation with its domains for each acceptable row. Each row stands
    alone: a bad row is reported and skipped, the others are imported."""
    try:
        text = _decode(upload)
    except ValueError as error:
        return ImportReport(rows=[], error=str(error))
    rows = list(csv.reader(io.StringIO(text)))
    if rows and [cell.strip().lower() for cell in rows[0][:4]] == HEADER:
        rows = [None, *rows[1:]]  # keep line numbers matching the file
    if len(rows) > MAX_IMPORT_ROWS:
        return ImportReport(rows=[], error=f"The file has more than {MAX_IMPORT_ROWS} rows: split it up.")
    results = []
    for line, cells in enumerate(rows, start=1):
        if cells is None or not any(cell.strip() for cell in cells):
            continue
        results.append(_import_row(line, cells))
    return ImportReport(rows=results)


@transaction.atomic
def _import_row(line: int, cells: list[str]) -> RowResult:
    cells = [*cells, "", "", "", ""][:4] if len(cells) <= 4 else cells
    name = one_line(cells[0])  # a spreadsheet cell may hold line breaks; a name is one line
    if len(cells) > 4:
        return RowResult(line, name, False, ["The row has more than 4 columns: put several domains in one cell."])
    kind, region = _kind_for(cells[1]), _region_for(cells[2])
    domains = [normalise_domain(d) for d in re.split(r"[;\s]+", cells[3]) if d.strip()]
    problems = _row_problems(name, kind, region, domains)
    if problems:
        return RowResult(line, name, False, problems, domains)
    organisation = Organisation.objects.create(name=name, kind=kind, region=region)
    OrganisationDomain.objects.bulk_create(
        [OrganisationDomain(organisation=organisation, domain=domain) for domain in domains]
    )
    return RowResult(line, name, True, [], domains)
