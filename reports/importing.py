"""Importing appointments from another system's CSV export.

The file is read as a stream and written in batches: each batch is parsed,
its bad rows are set aside for the error report, and its good rows are
written in one transaction with a few bulk queries. Memory holds one batch
at a time, whatever the file's size.

Appointments, clients and clinicians are matched on their external ids (or
names, for clinicians), so a second run of the same file changes nothing.
A status that differs from the stored one is applied through the
appointment services with the import channel, so it is recorded like any
other status change.
"""

import csv
import json
import logging
import tomllib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, reset_queries, transaction
from django.utils.text import slugify

from appointments.models import Appointment, AppointmentStatus, Channel
from appointments.services import ServiceError, set_appointment_statuses
from clients.models import PARTICIPANT_LEVEL_KINDS, Case, CaseKind, Client, Membership
from practicerunner.lib.timezones import NonexistentTime, aware_local
from practices.models import StaffMember, StaffRole
from practices.services import add_staff_member

from .csvexport import safe_row
from .periods import out_of_range

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 2000
# The largest fee the appointment and case fee columns hold (10 digits, 2
# of them decimals).
MAX_FEE = Decimal("99999999.99")


class MappingError(Exception):
    """The mapping does not describe the file; nothing was imported."""


@dataclass
class Mapping:
    """Which column holds what, and how to read the values.

    Column names are the file's header names. Only `client_id`,
    `appointment_id`, `start` and `status` are required.
    """

    client_id: str = ""
    appointment_id: str = ""
    start: str = ""
    status: str = ""
    status_map: dict = field(default_factory=dict)
    client_name: str = ""
    case: str = ""
    clinician: str = ""
    end: str = ""
    date_format: str = ""
    default_time: str = "09:00"
    default_length: int = 50
    default_clinician: str = "Imported clinician"
    case_kind: str = CaseKind.INDIVIDUAL
    session_fee: str = "0.00"
    delimiter: str = ","

    REQUIRED = ("client_id", "appointment_id", "start", "status")

    def __post_init__(self):
        if not isinstance(self.status_map, dict):
            raise MappingError("The status map must be a table of value = status.")
        # Statuses may be given by value ("no_show") or label ("No-show").
        by_label = {label.lower(): value for value, label in AppointmentStatus.choices}
        self.status_map = {
            str(value).strip(): by_label.get(
                str(status).strip().lower(), str(status).strip()
            )
            for value, status in self.status_map.items()
        }

    @classmethod
    def from_file(cls, path):
        """Read a mapping from a JSON or TOML file (by its extension)."""
        path = Path(path)
        try:
            if path.suffix == ".toml":
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            else:
                data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise MappingError(f"Cannot read mapping file {path}: {error}") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data):
        if not isinstance(data, dict):
            raise MappingError("A mapping file holds one table of field = column.")
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise MappingError(f"Unknown mapping keys: {', '.join(sorted(unknown))}")
        return cls(**data)

    def updated(self, **options):
        """Return a copy with the options that were given (not None).

        A `status_map` option adds to the file's map: each of its values
        replaces the file's entry for that value (matched ignoring case)
        and the file's other entries stay.
        """
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        for name, value in options.items():
            if value is None:
                continue
            if name == "status_map":
                given = {key.casefold() for key in value}
                kept = {
                    key: status
                    for key, status in self.status_map.items()
                    if key.casefold() not in given
                }
                value = kept | value
            data[name] = value
        return Mapping(**data)

    def check(self):
        """Check what does not depend on the file; raise MappingError."""
        missing = [name for name in self.REQUIRED if not getattr(self, name)]
        if missing:
            raise MappingError(f"The mapping needs a column for: {', '.join(missing)}")
        if not self.status_map:
            raise MappingError("The mapping needs a status map (value=status).")
        seen = {}
        for value, status in self.status_map.items():
            if status not in AppointmentStatus.values:
                raise MappingError(
                    f"Status map {value!r}: {status!r} is not one of "
                    f"{', '.join(AppointmentStatus.values)}."
                )
            other = seen.setdefault(value.casefold(), value)
            if other != value:
                raise MappingError(
                    f"Status map values {other!r} and {value!r} differ only in "
                    "case; values are matched ignoring case."
                )
        if self.case_kind in PARTICIPANT_LEVEL_KINDS:
            raise MappingError("Import creates individual, two-person or family cases.")
        if self.case_kind not in CaseKind.values:
            raise MappingError(f"Unknown case kind {self.case_kind!r}.")
        if not isinstance(self.delimiter, str) or len(self.delimiter) != 1:
            raise MappingError(f"Delimiter {self.delimiter!r} is not one character.")
        self.parsed_default_time()
        self.parsed_fee()
        self.parsed_length()

    def validate(self, header):
        """Check the mapping against the file's header; raise MappingError."""
        self.check()
        for name in (
            "client_id",
            "appointment_id",
            "start",
            "status",
            "client_name",
            "case",
            "clinician",
            "end",
        ):
            column = getattr(self, name)
            if column and column not in header:
                raise MappingError(
                    f"Column {column!r} ({name}) is not in the file; "
                    f"its columns are: {', '.join(map(repr, header))}."
                    + self._delimiter_hint(header)
                )

    def _delimiter_hint(self, header):
        if len(header) != 1:
            return ""
        for candidate in (";", "\t", "|", ","):
            if candidate != self.delimiter and candidate in header[0]:
                return (
                    f" The header looks separated by {candidate!r}: "
                    f"pass --delimiter {candidate!r}."
                )
        return ""

    def parsed_default_time(self):
        try:
            return time.fromisoformat(str(self.default_time))
        except ValueError:
            raise MappingError(
                f"Default time {self.default_time!r} is not HH:MM."
            ) from None

    def parsed_length(self):
        try:
            minutes = int(self.default_length)
        except (TypeError, ValueError):
            raise MappingError(
                f"Default length {self.default_length!r} is not whole minutes."
            ) from None
        if not 0 < minutes <= 24 * 60:
            raise MappingError("The default length must be 1 to 1440 minutes.")
        return timedelta(minutes=minutes)

    def parsed_fee(self):
        try:
            fee = Decimal(str(self.session_fee))
        except InvalidOperation:
            fee = None
        if fee is None or not fee.is_finite():
            raise MappingError(
                f"Session fee {self.session_fee!r} is not a number."
            ) from None
        if fee < 0:
            raise MappingError(
                f"Session fee {self.session_fee!r}: a fee cannot be negative."
            )
        if fee > MAX_FEE or fee != fee.quantize(Decimal("0.01")):
            raise MappingError(
                f"Session fee {self.session_fee!r} is not an amount up to "
                f"{MAX_FEE} with at most 2 decimals."
            )
        return fee.quantize(Decimal("0.01"))


def parse_status_map(pairs):
    """Turn ["Yes=no_show", "No=attended"] into a dict."""
    result = {}
    for pair in pairs:
        value, sep, status = pair.partition("=")
        if not sep:
            raise MappingError(f"Status map {pair!r} is not VALUE=STATUS.")
        status = status.strip()
        result[value.strip()] = status
    return result


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class ParsedRow:
    line: int
    client_id: str
    client_name: str
    case: str
    clinician: str
    appointment_id: str
    start: datetime
    end: datetime
    status: str


@dataclass
class Summary:
    rows: int = 0
    failed_rows: int = 0
    clients_created: int = 0
    clients_matched: int = 0
    cases_created: int = 0
    clinicians_created: int = 0
    appointments_created: int = 0
    appointments_unchanged: int = 0
    statuses_changed: int = 0
    dry_run: bool = False

    @property
    def clients(self):
        return self.clients_created + self.clients_matched

    @property
    def appointments(self):
        return (
            self.appointments_created
            + self.appointments_unchanged
            + self.statuses_changed
        )

    def lines(self):
        verb = "would be " if self.dry_run else ""
        return [
            f"Rows read: {self.rows}; failed: {self.failed_rows}",
            f"Appointments: {self.appointments} ({verb}created "
            f"{self.appointments_created}, status {verb}changed "
            f"{self.statuses_changed}, unchanged {self.appointments_unchanged})",
            f"Clients: {self.clients} ({verb}created {self.clients_created}, "
            f"matched {self.clients_matched})",
            f"Cases {verb}created: {self.cases_created}; "
            f"clinicians {verb}created: {self.clinicians_created}",
        ]


class RowParser:
    """Read one CSV row into a ParsedRow, or say what is wrong with it."""

    def __init__(self, mapping, zone):
        self.mapping = mapping
        self.zone = zone
        self.default_time = mapping.parsed_default_time()
        self.length = mapping.parsed_length()
        # Status values are matched ignoring case ("yes" is "Yes").
        self.statuses = {
            value.casefold(): status for value, status in mapping.status_map.items()
        }
        self.known_values = ", ".join(sorted(mapping.status_map, key=str.casefold))

    def parse(self, line, row):
        m = self.mapping
        errors = []

        def value(column):
            return (row.get(column) or "").strip() if column else ""

        client_id = value(m.client_id)
        if not client_id:
            errors.append(RowError(line, m.client_id, "", "missing client id"))
        appointment_id = value(m.appointment_id)
        if not appointment_id:
            errors.append(
                RowError(line, m.appointment_id, "", "missing appointment id")
            )
        for column, text in (
            (m.client_id, client_id),
            (m.appointment_id, appointment_id),
        ):
            if len(text) > 100:
                errors.append(RowError(line, column, text, "id longer than 100"))

        start = self._moment(line, m.start, value(m.start), errors, required=True)
        end = None
        if m.end:
            end = self._moment(line, m.end, value(m.end), errors, required=False)
        if start is not None and end is None:
            # Both are UTC, so the length is elapsed time even on the night
            # the clocks change.
            end = start + self.length
        if start is not None and end is not None and end <= start:
            errors.append(RowError(line, m.end, value(m.end), "end is not after start"))

        raw_status = value(m.status)
        status = self.statuses.get(raw_status.casefold())
        if status is None:
            errors.append(
                RowError(
                    line,
                    m.status,
                    raw_status,
                    f"unknown status value; the status map knows {self.known_values}",
                )
            )

        if errors:
            return None, errors
        client_name = value(m.client_name) or f"Patient {client_id}"
        return (
            ParsedRow(
                line=line,
                client_id=client_id,
                client_name=client_name[:200],
                case=value(m.case),
                clinician=(value(m.clinician) or m.default_clinician)[:200],
                appointment_id=appointment_id,
                start=start,
                end=end,
                status=status,
            ),
            [],
        )

    def _moment(self, line, column, text, errors, *, required):
        """Read a date or a date and time as a UTC instant; naive is local."""
        if not text:
            if required:
                errors.append(RowError(line, column, "", "missing date"))
            return None
        try:
            if self.mapping.date_format:
                moment = datetime.strptime(text, self.mapping.date_format)
            else:
                moment = datetime.fromisoformat(text)
        except ValueError:
            errors.append(RowError(line, column, text, "not a date or date and time"))
            return None
        reason = out_of_range(moment.date())
        if reason:
            errors.append(RowError(line, column, text, reason))
            return None
        if len(text) == 10 and moment.time() == time(0):
            # A date alone: the session takes the default time of day.
            moment = datetime.combine(moment.date(), self.default_time)
        if moment.tzinfo is not None:
            return moment.astimezone(UTC)
        try:
            return aware_local(moment, self.zone)
        except NonexistentTime:
            errors.append(
                RowError(
                    line,
                    column,
                    text,
                    f"this local time ({moment:%Y-%m-%d %H:%M}) does not exist "
                    f"in {self.zone} (clocks go forward)",
                )
            )
            return None


class ErrorReport:
    """The bad rows, written to a CSV file as they are found."""

    HEADER = ["line", "column", "value", "reason"]

    def __init__(self, path):
        self.path = Path(path)
        self.count = 0
        self._file = None
        self._writer = None

    def open(self):
        """Create (or empty) the report now; raise OSError if it cannot be.

        Called before anything is imported, so an unwritable path stops
        the import before a row is saved.
        """
        self._file = self.path.open("w", newline="", encoding="utf-8")
        self._writer = csv.writer(self._file)
        self._writer.writerow(self.HEADER)

    def add(self, errors):
        """Write errors, in line order."""
        if not errors:
            return
        if self._file is None:
            self.open()
        for error in sorted(errors, key=lambda e: e.line):
            self._writer.writerow(
                safe_row([error.line, error.column, error.value, error.reason])
            )
        self.count += len(errors)

    def close(self):
        if self._file is not None:
            self._file.close()
            self._file = None

    def discard(self):
        """Remove a report that holds no errors; return True if one was removed.

        Only a regular file is removed (never, say, /dev/null).
        """
        self.close()
        if self.count or not self.path.is_file():
            return False
        self.path.unlink()
        return True


def _row(line, header, values):
    """Return {column: value}, or a RowError for a row of the wrong width.

    Trailing empty fields (a trailing comma) are tolerated.
    """
    if len(values) < len(header) or any(values[len(header) :]):
        return RowError(
            line, "", "", f"row has {len(values)} fields, expected {len(header)}"
        )
    return dict(zip(header, values, strict=False))


class _DryRun(Exception):
    """Rolls back everything a dry run wrote."""


class Importer:
    """Import one file into one practice; see the module docstring."""

    def __init__(
        self,
        practice,
        mapping,
        *,
        now,
        errors,
        batch_size=DEFAULT_BATCH_SIZE,
        dry_run=False,
        progress=None,
    ):
        self.practice = practice
        self.mapping = mapping
        self.now = now
        self.errors = errors
        self.batch_size = batch_size
        self.dry_run = dry_run
        self.progress = progress
        self.summary = Summary(dry_run=dry_run)
        self.parser = RowParser(mapping, practice.zone)
        self.fee = mapping.parsed_fee()
        self._clinicians = {}
        # The one thing that grows with the file: the distinct client ids
        # seen, so the summary counts each client once (about 100 bytes a
        # client; the appointments themselves are never held).
        self._seen_clients = set()

    def run(self, stream):
        """Import rows from an open text stream; return the Summary."""
        reader = csv.reader(stream, delimiter=self.mapping.delimiter)
        header = next(reader, None)
        if header is None:
            raise MappingError("The file is empty: it has no header row.")
        self.mapping.validate(header)
        logger.info(
            "Import started: practice=%s dry_run=%s", self.practice.pk, self.dry_run
        )
        if self.dry_run:
            # One transaction around every batch, rolled back at the end, so
            # later batches see what earlier ones would have created.
            try:
                with transaction.atomic():
                    self._read(reader, header)
                    raise _DryRun
            except _DryRun:
                pass
        else:
            # Each batch commits on its own: an interrupted import keeps
            # the batches already done, and a re-run completes it.
            self._read(reader, header)
        logger.info(
            "Import finished: practice=%s rows=%s failed=%s",
            self.practice.pk,
            self.summary.rows,
            self.summary.failed_rows,
        )
        return self.summary

    def _read(self, reader, header):
        batch = []
        for fields_ in reader:
            if not fields_:
                continue  # A blank line, as csv.DictReader skips them.
            # The header is line 1, so a row's line is the reader's count.
            line = reader.line_num
            batch.append((line, _row(line, header, fields_)))
            if len(batch) >= self.batch_size:
                self._batch(batch)
                batch = []
        if batch:
            self._batch(batch)

    def _batch(self, rows):
        # The batch's errors are written together at its end, in line order.
        parsed, failed_lines, batch_errors = [], set(), []
        for line, row in rows:
            if isinstance(row, RowError):
                errors = [row]
            else:
                good, errors = self.parser.parse(line, row)
            if errors:
                batch_errors.extend(errors)
                failed_lines.add(line)
            else:
                parsed.append(good)
        parsed = self._without_duplicates(parsed, failed_lines, batch_errors)

        counts = Summary()
        try:
            with transaction.atomic():
                self._write(parsed, counts)
        except (DatabaseError, ServiceError, ValidationError) as error:
            logger.warning(
                "Import batch failed: practice=%s lines=%s-%s error=%s",
                self.practice.pk,
                rows[0][0],
                rows[-1][0],
                type(error).__name__,
            )
            batch_errors.extend(
                RowError(row.line, "", "", f"batch not written: {error}")
                for row in parsed
            )
            failed_lines.update(row.line for row in parsed)
            counts = Summary()
            self._clinicians.clear()
        else:
            self._seen_clients.update(row.client_id for row in parsed)

        self.errors.add(batch_errors)
        self._add(counts)
        self.summary.rows += len(rows)
        self.summary.failed_rows += len(failed_lines)
        reset_queries()
        if self.progress is not None:
            self.progress(len(rows))

    def _without_duplicates(self, parsed, failed_lines, batch_errors):
        seen, kept = {}, []
        for row in parsed:
            if row.appointment_id in seen:
                batch_errors.append(
                    RowError(
                        row.line,
                        self.mapping.appointment_id,
                        row.appointment_id,
                        f"appointment id repeats line {seen[row.appointment_id]}",
                    )
                )
                failed_lines.add(row.line)
                continue
            seen[row.appointment_id] = row.line
            kept.append(row)
        return kept

    def _add(self, counts):
        for name in (
            "clients_created",
            "clients_matched",
            "cases_created",
            "clinicians_created",
            "appointments_created",
            "appointments_unchanged",
            "statuses_changed",
        ):
            setattr(
                self.summary, name, getattr(self.summary, name) + getattr(counts, name)
            )

    def _write(self, rows, counts):
        if not rows:
            return
        clients = self._clients(rows, counts)
        clinicians = {
            name: self._clinician(name, counts) for name in {r.clinician for r in rows}
        }
        cases = self._cases(rows, clients, clinicians, counts)

        existing = dict(
            Appointment.objects.filter(
                practice=self.practice,
                external_id__in=[r.appointment_id for r in rows],
            ).values_list("external_id", "pk")
        )
        statuses = dict(
            Appointment.objects.filter(pk__in=existing.values()).values_list(
                "pk", "status"
            )
        )

        new, changes = [], defaultdict(list)
        for row in rows:
            pk = existing.get(row.appointment_id)
            if pk is None:
                new.append(self._appointment(row, cases, clinicians))
            elif statuses[pk] != row.status:
                changes[row.status].append(pk)
            else:
                counts.appointments_unchanged += 1
        Appointment.objects.bulk_create(new)
        counts.appointments_created += len(new)

        for status, ids in changes.items():
            set_appointment_statuses(
                None,
                ids,
                status,
                now=self.now,
                channel=Channel.IMPORT,
                acknowledged=True,
                practice=self.practice,
            )
            counts.statuses_changed += len(ids)

    def _appointment(self, row, cases, clinicians):
        case = cases[(row.client_id, row.case)]
        return Appointment(
            practice=self.practice,
            case_id=case.pk,
            clinician=clinicians[row.clinician],
            start=row.start,
            end=row.end,
            fee=case.session_fee,
            status=row.status,
            external_id=row.appointment_id,
        )

    def _clients(self, rows, counts):
        """Return {external id: client id}, creating the missing clients."""
        names = {}
        for row in rows:
            names.setdefault(row.client_id, row.client_name)
        found = dict(
            Client.objects.filter(
                practice=self.practice, external_id__in=list(names)
            ).values_list("external_id", "pk")
        )
        missing = [
            Client(practice=self.practice, name=names[ext], external_id=ext)
            for ext in names
            if ext not in found
        ]
        Client.objects.bulk_create(missing)
        counts.clients_created += len(missing)
        counts.clients_matched += len(set(found) - self._seen_clients)
        found.update((client.external_id, client.pk) for client in missing)
        return found

    def _cases(self, rows, clients, clinicians, counts):
        """Return {(client external id, case key): case}, creating missing ones.

        Without a case column each client has one case of the mapping's
        kind (individual by default): the first such case they belong to.
        With one, the case is found by its title among the client's cases.
        """
        wanted = {}
        for row in rows:
            wanted.setdefault((row.client_id, row.case), row)
        memberships = (
            Membership.objects.filter(
                practice=self.practice,
                client_id__in=set(clients.values()),
                case__kind=self.mapping.case_kind,
            )
            .select_related("case")
            .order_by("case_id")
        )
        by_client = defaultdict(list)
        for membership in memberships:
            by_client[membership.client_id].append(membership.case)

        found, missing = {}, []
        for key, row in wanted.items():
            client_cases = by_client[clients[row.client_id]]
            if row.case:
                client_cases = [c for c in client_cases if c.title == row.case]
            if client_cases:
                found[key] = client_cases[0]
            else:
                title = row.case or row.client_name
                missing.append(
                    (
                        key,
                        Case(
                            practice=self.practice,
                            kind=self.mapping.case_kind,
                            title=title[:200],
                            session_fee=self.fee,
                        ),
                    )
                )

        Case.objects.bulk_create([case for _, case in missing])
        Membership.objects.bulk_create(
            Membership(
                practice=self.practice,
                case=case,
                client_id=clients[key[0]],
                joined_on=wanted[key].start.astimezone(self.practice.zone).date(),
            )
            for key, case in missing
        )
        Case.clinicians.through.objects.bulk_create(
            Case.clinicians.through(
                case_id=case.pk, staffmember_id=clinicians[wanted[key].clinician].pk
            )
            for key, case in missing
        )
        counts.cases_created += len(missing)
        found.update(missing)
        return found

    def _clinician(self, name, counts):
        """Return the practice's clinician of that name, creating one if needed."""
        if name in self._clinicians:
            return self._clinicians[name]
        clinician = (
            StaffMember.objects.filter(practice=self.practice, display_name=name)
            .order_by("pk")
            .first()
        )
        if clinician is None:
            # A sign-in without a usable password: the owner sets one up
            # (or removes it) when the clinician starts using PracticeRunner.
            # A random part keeps "Dr. Ana" and "Dr Ana" from sharing an email.
            local = f"{slugify(name)[:40] or 'clinician'}-{uuid.uuid4().hex[:8]}"
            email = f"{local}.{self.practice.slug}@import.invalid"
            clinician = add_staff_member(
                self.practice, email=email, name=name, role=StaffRole.CLINICIAN
            )
            counts.clinicians_created += 1
        self._clinicians[name] = clinician
        return clinician
