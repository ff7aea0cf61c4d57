"""QR codes as SVG, drawn on the server with segno (no image files, prints sharp at any size)."""

import io

import segno


def qr_svg(url: str, *, scale: int = 8, title: str | None = None) -> str:
    """An SVG QR code that opens `url`, safe to embed in HTML and valid as a standalone file.

    The <title> (the URL unless `title` is given) names the image for screen readers; segno
    escapes it. Error correction "Q" keeps a worn or partly covered poster readable.
    """
    code = segno.make(url, error="q", micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=scale,
        omitsize=True,
        border=4,
        xmldecl=False,
        svgns=True,
        nl=False,
        title=title or url,
        svgclass="qr",
        lineclass="qr-modules",
        dark="#000",
        light="#fff",
    )
    svg = out.getvalue().decode("utf-8")
    # segno writes either width/height or a viewBox; both let CSS scale it and a file keep size.
    size = code.symbol_size(scale=scale, border=4)[0]
    return svg.replace("<svg ", f'<svg role="img" width="{size}" height="{size}" ', 1)
