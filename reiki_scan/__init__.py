"""reiki-scan: 押印見直し支援 — find, classify and draft the removal of seal requirements
(押印, 記名押印, 印鑑, the 「印」 box of forms) in a municipality's regulations and forms."""

__version__ = "0.1.0"
