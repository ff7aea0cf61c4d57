"""Spreadsheets as an official uploads them, for the tests of every import."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def xlsx_upload(rows, name: str = "tep.xlsx") -> SimpleUploadedFile:
    """The rows as the first sheet of an XLSX file, as a browser uploads it."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_upload(rows, name: str = "tep.csv") -> SimpleUploadedFile:
    """The rows as a UTF-8 CSV with a BOM and semicolons between cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return SimpleUploadedFile(name, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
