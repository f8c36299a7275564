"""What the demo loader tells the developer while it works (plain text, not for shoppers)."""


class Progress:
    """Step lines and, on a terminal, a bar for the long steps; silent without ``write``.

    ``write(text, ending=...)`` is e.g. a management command's ``self.stdout.write``.
    """

    BAR_WIDTH = 30
    LABEL_WIDTH = 26

    def __init__(self, write=None, tty=False):
        self._write = write
        self.tty = tty
        self._bar_shown = False

    def step(self, label, total, created=0, note=""):
        """One line for a finished step: how many rows it holds, how many it added."""
        if self._write is None:
            return
        line = f"  {label:<{self.LABEL_WIDTH}} {total:>5}  ({created} new)"
        if note:
            line += f"  {note}"
        if self._bar_shown:
            # Cover what is left of the bar drawn on this line.
            line = line.ljust(self.LABEL_WIDTH + self.BAR_WIDTH + 20)
            self._bar_shown = False
        self._write(line)

    def bar(self, label, done, total):
        """``[#####.....] 12/32`` redrawn in place on a terminal; nothing otherwise."""
        if self._write is None or not self.tty or not total:
            return
        filled = self.BAR_WIDTH * done // total
        bar = "#" * filled + "." * (self.BAR_WIDTH - filled)
        self._write(f"  {label:<{self.LABEL_WIDTH}} [{bar}] {done}/{total}", ending="\r")
        self._bar_shown = True

    def note(self, text):
        if self._write is not None:
            self._write(text)


def format_table(headers, rows):
    """A plain-text table with columns padded to their widest cell."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells):
        return "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])
