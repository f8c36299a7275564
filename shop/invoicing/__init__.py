"""E-invoices for till and online sales (issue in progress): the rules that need no
database come first — amounts in Vietnamese words, the tax-code checksum, VAT rates."""
