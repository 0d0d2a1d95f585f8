"""Run the export queries and write the CSV tables with their CSVW metadata, atomically.

Cells follow one table model: full IRIs for resources (the valueUrl of the metadata maps them
back to RDF), lexical forms for literals (ISO 8601 dates, canonical integers), "" for unbound.
Lists the queries aggregate (GROUP_CONCAT) are sorted here, so two exports of the same graph are
byte-identical. The folder is written next to its target and swapped in whole, so a failure
never leaves half a table.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hrkg.publish.export.tables import TABLES, Column, Table

if TYPE_CHECKING:
    import pyoxigraph as ox

EXPORT_QUERIES_DIR = Path(__file__).parent / "queries"  # shipped with the package
METADATA_FILE = "csv-metadata.json"


class ExportError(Exception):
    """An export query whose columns differ from the data dictionary, or that cannot run."""


def cell(term: Any) -> str:
    """A raw pyoxigraph term as a cell: full IRI, lexical form (numbers canonical), or ""."""
    import pyoxigraph as ox

    from hrkg.queries.results import canonical_lexical

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return canonical_lexical(term.value, term.datatype.value)
    return str(term)


def table_rows(
    store: ox.Store,
    table: Table,
    queries_dir: Path = EXPORT_QUERIES_DIR,
) -> list[list[str]]:
    """The table's rows from export/queries/<name>.rq, list cells sorted."""
    from hrkg.queries.catalog import load_query

    query = load_query(queries_dir / f"{table.name}.rq")
    names = tuple(c.name for c in table.columns)
    if query.columns != names:
        raise ExportError(
            f"{query.path}: # Columns: {' '.join(query.columns)} differ from the "
            f"data dictionary of {table.name}: {' '.join(names)}"
        )
    solutions = store.query(query.text, use_default_graph_as_union=True)
    rows = []
    for solution in solutions:  # type: ignore[union-attr]
        row = []
        for column in table.columns:
            value = cell(solution[column.name])
            if column.separator and value:
                value = column.separator.join(sorted(set(value.split(column.separator))))
            row.append(value)
        rows.append(row)
    return rows


def column_metadata(column: Column) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "name": column.name,
        "titles": column.title,
        "dc:description": column.description,
        "datatype": column.datatype,
    }
    if column.required:
        meta["required"] = True
    if column.separator:
        meta["separator"] = column.separator
    if column.property:
        meta["propertyUrl"] = column.property
    if column.iri:
        meta["valueUrl"] = f"{{+{column.name}}}"
    if column.about:
        meta["aboutUrl"] = f"{{+{column.about}}}"
    return meta


def metadata(tables: tuple[Table, ...] = TABLES) -> dict[str, Any]:
    """The CSVW table group describing every table: the data dictionary as JSON-LD."""
    by_name = {t.name: t for t in tables}
    described = []
    for table in tables:
        schema: dict[str, Any] = {
            "columns": [column_metadata(c) for c in table.columns],
            "primaryKey": list(table.primary_key),
            "aboutUrl": f"{{+{table.about}}}",
        }
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {
                    "columnReference": column,
                    "reference": {"resource": by_name[other].file, "columnReference": target},
                }
                for column, other, target in table.foreign_keys
            ]
        described.append(
            {
                "url": table.file,
                "dc:title": table.title,
                "dc:description": table.description,
                "tableSchema": schema,
            }
        )
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:title": "hamas-russia-kg: tables for analysts",
        "dc:description": "Flat tables of the hamas-russia-kg knowledge graph, one row per "
        "event, participation, statement, claim and stance, designation, "
        "position, weapon system, entity and evidence span. Resources are "
        "full IRIs with their English labels beside them; dates are ISO 8601, "
        "with vague dates as bounds in their own columns.",
        "dc:license": "https://creativecommons.org/licenses/by/4.0/",
        "dialect": {"header": True, "encoding": "utf-8", "delimiter": ","},
        "tables": described,
    }


def write_tables(
    store: ox.Store,
    folder: Path,
    tables: tuple[Table, ...] = TABLES,
    queries_dir: Path = EXPORT_QUERIES_DIR,
) -> dict[str, int]:
    """Write every table and the metadata into `folder`; rows per table."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in tables:
        rows = table_rows(store, table, queries_dir)
        with (folder / table.file).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([c.name for c in table.columns])
            writer.writerows(rows)
        counts[table.name] = len(rows)
    (folder / METADATA_FILE).write_text(
        json.dumps(metadata(tables), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return counts


def export(store: ox.Store, out: Path, queries_dir: Path = EXPORT_QUERIES_DIR) -> dict[str, int]:
    """Write the export into `out`, replacing it whole only once every table is written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        counts = write_tables(store, staging, queries_dir=queries_dir)
        old = out.with_name(f".{out.name}-old")
        if out.exists():
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return counts
