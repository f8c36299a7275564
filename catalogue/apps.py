import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    """Oscar's catalogue, forked for OCOP: producer, origin commune, stars, search text."""

    name = "catalogue"

    def ready(self):
        super().ready()
        # Here, not in models.py: the models never import the rules that use them.
        from catalogue import combos
        from catalogue.models import OcopCertificate, Product

        combos.connect_signals(Product, OcopCertificate)
