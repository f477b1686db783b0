"""One PDF page in the scene: its image (or a placeholder), then every overlay layer.

Coordinates: the word map's (points on the unrotated page) go through the page's rotation
matrix to displayed points, then times the zoom to item pixels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from dossier.pdf.render import PageGeometry
from ui.i18n import tr
from ui.viewer.overlays import LAYERS, Rect

if TYPE_CHECKING:
    from ui.viewer.pdf_view import PdfView


class PageItem(QGraphicsItem):
    def __init__(self, view: PdfView, index: int, geometry: PageGeometry) -> None:
        super().__init__()
        self.view = view
        self.index = index
        self.geometry = geometry
        self.failed = False

    def size(self) -> tuple[float, float]:
        zoom = self.view.zoom
        return self.geometry.width * zoom, self.geometry.height * zoom

    def boundingRect(self) -> QRectF:
        width, height = self.size()
        return QRectF(0, 0, width, height)

    def to_item(self, rect: Rect) -> QRectF:
        x0, y0, x1, y1 = self.geometry.to_display(rect)
        zoom = self.view.zoom
        return QRectF(x0 * zoom, y0 * zoom, (x1 - x0) * zoom, (y1 - y0) * zoom)

    def to_page(self, point: QPointF) -> tuple[float, float]:
        """An item point as word-map coordinates (points on the unrotated page)."""
        zoom = self.view.zoom
        return self.geometry.from_display(point.x() / zoom, point.y() / zoom)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        bounds = self.boundingRect()
        painter.fillRect(bounds, QColor("white"))
        image = self.view.image_for(self.index)
        if image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(bounds, image)
        else:
            painter.setPen(QColor("#8a8a8a"))
            text = tr("This page cannot be drawn") if self.failed else tr("Page {n}…")
            painter.drawText(bounds, Qt.AlignmentFlag.AlignCenter, text.format(n=self.index + 1))
        for name, style in LAYERS.items():
            rects = self.view.overlays.get(name, {}).get(self.index)
            if not rects:
                continue
            painter.setBrush(style.fill)
            painter.setPen(QPen(style.outline, 1) if style.outline else Qt.PenStyle.NoPen)
            for rect in rects:
                painter.drawRect(self.to_item(rect))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(0, 0, 0, 60), 1))
        painter.drawRect(bounds.adjusted(0, 0, -1, -1))
