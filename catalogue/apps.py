import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    """Oscar's catalogue, forked for OCOP: producer, origin commune, stars, search text."""

    name = "catalogue"
