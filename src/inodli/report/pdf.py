"""Print the HTML report to PDF with WeasyPrint (A4, page numbers from the report's CSS)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["html_to_pdf"]


def html_to_pdf(document: str, target: Path | None = None) -> bytes:
    """PDF bytes of the HTML ``document`` (written to ``target`` too when given).

    WeasyPrint is imported here: it loads pango, which only the PDF needs.
    """
    from weasyprint import HTML

    pdf = HTML(string=document).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    if target is not None:
        target.write_bytes(pdf)
    return pdf
