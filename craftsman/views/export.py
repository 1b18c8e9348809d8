"""Spreadsheet export that stays small in memory, whatever the number of rows.

Wagtail's :class:`~wagtail.admin.views.mixins.SpreadsheetExportMixin` builds the XLSX
in a ``BytesIO`` and iterates the queryset with ``for item in queryset``, which keeps
every model instance in the queryset's result cache: 50,000 submissions cost
hundreds of megabytes.  This mixin keeps Wagtail's columns, headings and value
preprocessing (so ``list_export`` / ``export_headings`` stay the one place that
says what is exported, masked) and changes only *how* rows travel:

- the listing's context (table, item count) is skipped: it would evaluate the whole
  queryset before the export starts;
- the queryset is read with ``.iterator(chunk_size=…)``: instances are dropped as
  soon as their row is written, and ``select_related`` on the view's base queryset
  still applies (one query per chunk, never one per row);
- the XLSX is written by openpyxl in write-only mode into an anonymous temporary
  file (unlinked at creation, gone when the response closes it), sent as a
  ``FileResponse``;
- the CSV is streamed row by row, from the same iterator.
"""

import tempfile

from django.http import FileResponse

EXPORT_CHUNK_SIZE = 2000


class StreamingSpreadsheetExportMixin:
    """Mix into a Wagtail ``IndexView`` before ``generic.IndexView``."""

    export_chunk_size = EXPORT_CHUNK_SIZE

    def get(self, request, *args, **kwargs):
        # An export needs the filtered, searched, ordered queryset and nothing else: the
        # listing's context would build the table and ``len()`` the unpaginated queryset,
        # loading every row into memory before the first one is written.
        if self.is_export:
            return self.as_spreadsheet(self.get_queryset(), request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def export_rows(self, queryset):
        """The queryset's instances, a chunk at a time, never all held at once."""
        return queryset.iterator(chunk_size=self.export_chunk_size)

    def write_xlsx(self, queryset, output):
        """Wagtail's writer, fed from the chunked iterator instead of the result cache."""
        from openpyxl import Workbook
        from wagtail.admin.views.mixins import ExcelDateFormatter

        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title="Sheet1")
        worksheet.append(self.get_heading(queryset, field) for field in self.list_export)
        date_format = ExcelDateFormatter().get()
        for item in self.export_rows(queryset):
            worksheet.append(
                self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format=date_format)
            )
        workbook.save(output)

    def write_xlsx_response(self, queryset):
        # TemporaryFile has no name on disk (POSIX): nothing is left behind, even if the
        # client disconnects; FileResponse closes it once the last byte is sent.
        output = tempfile.TemporaryFile(suffix=".xlsx")
        try:
            self.write_xlsx(queryset, output)
        except BaseException:
            output.close()
            raise
        output.seek(0)
        response = FileResponse(
            output,
            as_attachment=True,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"{self.get_filename()}.xlsx",
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def stream_csv(self, queryset):
        import csv

        from wagtail.admin.views.mixins import Echo

        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        yield writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in self.export_rows(queryset):
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Cache-Control"] = "private, no-store"
        return response
