"""Reading back the PDFs the app renders."""

import io

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """All text of a PDF, normalised for comparison.

    Sarabun draws "ำ" (SARA AM) as nikhahit + the "า" glyph, so a PDF's text layer
    may map either back to the other; both are compared as "า".
    """
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return normalise(text)


def normalise(text: str) -> str:
    return text.replace("\u0e4d\u0e32", "\u0e32").replace("\u0e33", "\u0e32")


def pdf_fonts(content: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(content))
    return {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


def pdf_page_count(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)
