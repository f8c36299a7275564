"""Writes the demo data of ``shop.demo.data``: safe to run again and again.

Every row is found by its natural key (a unit's or partner's code, a
category's name under its parent, a product class's slug, a product's
barcode, an offer's partner SKU, a username) and only written when it is
missing or differs from the data, so a second run adds nothing and changes
nothing. Existing rows are read in bulk, one query per model.

Stock is not written here but received into the sales points through the
inventory (``load_stock``), the one place that changes quantities.
"""

import datetime
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.db import transaction
from oscar.core.loading import get_model

from catalogue import certification
from catalogue.barcodes import with_check_digit
from catalogue.search import normalize, slugify
from shop.core import roles
from shop.core.progress import Progress
from shop.demo import data
from shop.demo.images import product_photo

AdministrativeUnit = get_model("vendors", "AdministrativeUnit")
Vendor = get_model("vendors", "Vendor")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Location = get_model("showroom", "Location")
Register = get_model("pos", "Register")
Cashier = get_model("pos", "Cashier")

ADMIN = "admin"
PASSWORD_HASH_THREADS = 4


# --- Helpers --------------------------------------------------------------------------


def _differs(obj, name, value):
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def sync(model, existing, key, lookup, values, create_only=None):
    """The row ``existing[key]`` brought in line with ``values``, or a new one.

    ``existing`` is a dict of rows read in bulk; a new row is added to it.
    ``create_only`` values are written on creation only (another module owns
    them afterwards). The row is saved (``save()``, so model logic runs) only
    when something differs. Returns ``(row, created)``.
    """
    obj = existing.get(key)
    if obj is None:
        obj = model(**lookup, **values, **(create_only or {}))
        obj.save()
        existing[key] = obj
        return obj, True
    changed = [name for name, value in values.items() if _differs(obj, name, value)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
    return obj, False


def upc(body):
    """The GTIN-13 of a twelve-digit body: the body and its check digit."""
    return with_check_digit(body)


def stars(score):
    return certification.stars_for_score(score) if score is not None else None


def group_of(category_name):
    """The top-level OCOP group a (sub-)group name belongs to."""
    for group, children in data.CATEGORIES:
        if category_name == group or category_name in children:
            return group
    raise KeyError(category_name)


# --- Places, catalogue skeleton -------------------------------------------------------


@transaction.atomic
def load_site():
    Site.objects.update_or_create(pk=1, defaults=data.SITE)
    Site.objects.clear_cache()


@transaction.atomic
def load_units(progress):
    """Administrative units with their validity dates and the 2025 reform; {code: unit}."""
    units = AdministrativeUnit.objects.in_bulk(field_name="code")
    created = 0
    for code, name, kind, parent, valid_from, valid_to, _successor in data.ADMINISTRATIVE_UNITS:
        _unit, new = sync(AdministrativeUnit, units, code, {"code": code}, {
            "name": name, "kind": kind, "parent": units[parent] if parent else None,
            "valid_from": valid_from, "valid_to": valid_to,
        })
        created += new
    for code, *_fields, successor in data.ADMINISTRATIVE_UNITS:
        sync(AdministrativeUnit, units, code, {"code": code},
             {"replaced_by": units[successor] if successor else None})
    progress.step("Administrative units", len(data.ADMINISTRATIVE_UNITS), created)
    return units


@transaction.atomic
def load_categories(progress):
    """The OCOP group tree (a treebeard tree); {group or sub-group name: Category}."""
    nodes = {(node.path[: -Category.steplen], node.name): node for node in Category.objects.all()}
    found, created = {}, 0

    def get_or_add(name, parent=None):
        nonlocal created
        node = nodes.get((parent.path if parent else "", name))
        if node is None:
            if parent is None:
                node = Category.objects.add_root({"name": name})
            else:
                node = Category.objects.add_child(parent, {"name": name})
            created += 1
        return node

    for group, children in data.CATEGORIES:
        root = found[group] = get_or_add(group)
        for child in children:
            found[child] = get_or_add(child, root)
    progress.step("Categories", len(found), created)
    return found


@transaction.atomic
def load_product_classes(progress):
    classes = ProductClass.objects.in_bulk(
        [row["slug"] for row in data.PRODUCT_CLASSES], field_name="slug"
    )
    created = 0
    for row in data.PRODUCT_CLASSES:
        values = {k: v for k, v in row.items() if k != "slug"}
        created += sync(ProductClass, classes, row["slug"], {"slug": row["slug"]}, values)[1]
    progress.step("Product classes", len(data.PRODUCT_CLASSES), created)
    return classes


# --- Producers and sales points -------------------------------------------------------


@transaction.atomic
def load_producers(units, progress):
    """One Oscar Partner and its Vendor profile per producer; {partner code: Vendor}."""
    codes = [row["code"] for row in data.PRODUCERS]
    partners = Partner.objects.in_bulk(codes, field_name="code")
    vendors = {
        vendor.partner.code: vendor
        for vendor in Vendor.objects.filter(partner__code__in=codes).select_related(
            "partner", "commune"
        )
    }
    created = 0
    for row in data.PRODUCERS:
        code = row["code"]
        partner, _new = sync(Partner, partners, code, {"code": code}, {"name": row["name"]})
        vendor, new = sync(Vendor, vendors, code, {"partner": partner}, {
            "subject_type": row["subject_type"],
            "legal_name": row["legal_name"],
            "tax_code": row["tax_code"],
            "commune": units[row["commune"]],
            "address": row["address"],
            "phone": row["phone"],
            "representative": row["representative"],
            "story": row["story"],
            "bank_name": data.BANK_NAME,
            "bank_account_number": row["bank_account_number"],
            "bank_account_holder": normalize(row["legal_name"]).upper(),
        })
        vendor.partner = partner  # the product search text reads the producer's name
        created += new
    progress.step("Producers (Partner+Vendor)", len(vendors), created)
    return vendors


@transaction.atomic
def load_locations(units, progress):
    """The three sales points, each with one till; {location code: Location}."""
    codes = [row["code"] for row in data.LOCATIONS]
    locations = Location.objects.in_bulk(codes, field_name="code")
    registers = Register.objects.in_bulk([f"{code}-1" for code in codes], field_name="code")
    created = 0
    for row in data.LOCATIONS:
        values = {k: v for k, v in row.items() if k not in ("code", "commune")}
        values["commune"] = units[row["commune"]]
        location, new = sync(Location, locations, row["code"], {"code": row["code"]}, values)
        created += new
        register_code = f"{row['code']}-1"
        created += sync(Register, registers, register_code, {"code": register_code}, {
            "location": location, "name": data.REGISTER_NAME, "is_active": True,
        })[1]
    progress.step("Sales points + tills", len(locations) + len(registers), created)
    return locations


# --- Products -------------------------------------------------------------------------


@transaction.atomic
def load_products(vendors, units, categories, classes, progress):
    """Products with their category and one offer (StockRecord) each; {upc: Product}."""
    codes = [upc(row["upc_body"]) for row in data.PRODUCTS]
    products = Product.objects.in_bulk(codes, field_name="upc")
    created = 0
    for done, (code, row) in enumerate(zip(codes, data.PRODUCTS, strict=True), start=1):
        vendor = vendors[row["producer"]]
        origin = units[row["origin"]] if "origin" in row else vendor.commune
        _product, new = sync(Product, products, code, {"upc": code}, {
            "title": row["title"],
            "description": row["description"],
            "product_class": classes[row.get("product_class", data.OCOP_PRODUCT)],
            "structure": Product.STANDALONE,
            "is_public": True,
            "producer": vendor,
            "origin_unit": origin,
            "net_quantity": row.get("net_quantity", ""),
            "shelf_life": row.get("shelf_life", ""),
        }, create_only={
            # Afterwards the certificate registry keeps the badge (catalogue.certification).
            "ocop_stars": stars(row["score"]),
        })
        created += new
        progress.bar("Products", done, len(codes))
    _link_categories(products, categories)
    offers = _load_offers(products, vendors)
    progress.step("Products", len(products), created, f"{offers} new offers (StockRecord)")
    return products


def _link_categories(products, categories):
    """Each product in its sub-group only (one query, plus one per product that differs)."""
    current = {}
    for product_id, category_id in ProductCategory.objects.filter(
        product__in=products.values()
    ).values_list("product_id", "category_id"):
        current.setdefault(product_id, set()).add(category_id)
    for row in data.PRODUCTS:
        product = products[upc(row["upc_body"])]
        category = categories[row["category"]]
        if current.get(product.pk) != {category.pk}:
            product.categories.set([category])


def _load_offers(products, vendors):
    """One offer per product from its producer; prices are whole đồng (no stock here)."""
    offers = {
        (sr.partner_id, sr.partner_sku): sr
        for sr in StockRecord.objects.filter(partner__vendor__in=vendors.values())
    }
    created = 0
    for row in data.PRODUCTS:
        partner = vendors[row["producer"]].partner
        created += sync(StockRecord, offers, (partner.pk, row["sku"]),
                        {"partner": partner, "partner_sku": row["sku"]}, {
            "product": products[upc(row["upc_body"])],
            "price": Decimal(row["price"]),
            "price_currency": "VND",
        })[1]
    return created


def certificate_for(row, number, today):
    """The certificate fields of a rated product (None when it is not rated yet).

    The decision is dated ``rated_months_ago`` before ``today``; who signs follows
    the rules of its day (3★ by the district council until 30 June 2025, then the
    province; Kon Tum merged into Quảng Ngãi on 1 July 2025; the ministry of
    agriculture was renamed on 1 March 2025).
    """
    if row["score"] is None:
        return None
    stars_ = stars(row["score"])
    decided = certification.add_months(today, -row["rated_months_ago"])
    before_reform = decided < certification.DISTRICT_LEVEL_ENDED
    if stars_ == 5:
        level = certification.Level.NATIONAL
        body = (
            "Bộ Nông nghiệp và Phát triển nông thôn"
            if decided < datetime.date(2025, 3, 1) else "Bộ Nông nghiệp và Môi trường"
        )
    elif stars_ == 3 and before_reform:
        level, body = certification.Level.DISTRICT, "UBND huyện Đăk Hà"
    else:
        level = certification.Level.PROVINCE
        body = "UBND tỉnh Kon Tum" if before_reform else "UBND tỉnh Quảng Ngãi"
    suffix = "QĐ-BNN" if level == certification.Level.NATIONAL else "QĐ-UBND"
    return {
        "decision_number": f"{number}/{suffix}",
        "stars": stars_,
        "score": row["score"],
        "rating_level": level,
        "certifying_body": body,
        "decision_date": decided,
    }


@transaction.atomic
def load_certificates(products, progress, today=None):
    """The OCOP certificate behind each rated product's stars (the registry owns the badge)."""
    today = today or certification.today()
    existing = {
        (cert.product_id, cert.decision_number): cert
        for cert in OcopCertificate.objects.filter(product__in=products.values())
    }
    total = created = 0
    for index, row in enumerate(data.PRODUCTS):
        fields = certificate_for(row, 101 + index, today)
        if fields is None:
            continue
        product = products[upc(row["upc_body"])]
        number = fields.pop("decision_number")
        total += 1
        created += sync(OcopCertificate, existing, (product.pk, number),
                        {"product": product, "decision_number": number}, fields)[1]
    progress.step("OCOP certificates", total, created)


def load_batches(products, progress):
    """Production lots (traceability) of every product that has none."""
    from catalogue.demo import load_demo_batches

    Batch = get_model("catalogue", "Batch")
    created = load_demo_batches(list(products.values()))
    progress.step("Production batches", Batch.objects.count(), created)


def load_images(products, progress):
    """One generated photo per product that has none (existing photos are kept)."""
    with_photo = set(
        ProductImage.objects.filter(product__in=products.values()).values_list(
            "product_id", flat=True
        )
    )
    missing = [row for row in data.PRODUCTS if products[upc(row["upc_body"])].pk not in with_photo]
    for done, row in enumerate(missing, start=1):
        product = products[upc(row["upc_body"])]
        photo = product_photo(row["title"], group_of(row["category"]), stars(row["score"]))
        with transaction.atomic():
            image = ProductImage(product=product, display_order=0, caption=row["title"])
            image.original.save(f"{slugify(row['sku'])}.jpg", ContentFile(photo), save=True)
        progress.bar("Product photos", done, len(missing))
    progress.step("Product photos", len(with_photo) + len(missing), len(missing))


def load_stock(progress):
    """Opening stock of every offer at the three sales points.

    Stock belongs to the one inventory: quantities are received through
    ``showroom.inventory`` (``showroom.demo.load_demo_stock``), which writes the
    ledger and Oscar's ``num_in_stock`` totals. Offers that already have stock
    moves are left alone. Replace this function to change how demo stock arrives.
    """
    from showroom.demo import load_demo_stock

    stocked = load_demo_stock()
    progress.step("Stock (offers received)", StockRecord.objects.count(), stocked)
    return stocked


# --- People ---------------------------------------------------------------------------


def start_password_hashing(pool, reset_passwords=False):
    """{username: future hash} for the demo users that need their password set.

    A password is set when its user is created (or with ``reset_passwords``); a
    password changed later by hand is kept. Hashing is slow on purpose and
    hashlib releases the GIL, so the hashes are made in ``pool`` while the rest
    of the demo loads.
    """
    usernames = [row["username"] for row in data.USERS]
    existing = set(
        get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    return {
        row["username"]: pool.submit(make_password, row["password"])
        for row in data.USERS
        if reset_passwords or row["username"] not in existing
    }


@transaction.atomic
def load_users(vendors, locations, password_hashes, progress):
    """One user per role, in its group, with its till or its producer; {username: User}."""
    User = get_user_model()
    groups = roles.ensure_role_groups()
    users = User.objects.in_bulk([row["username"] for row in data.USERS], field_name="username")
    cashiers = {c.user_id: c for c in Cashier.objects.filter(user__in=users.values())}
    created = 0
    for row in data.USERS:
        username, role = row["username"], row["role"]
        values = {
            "email": f"{username}@{data.EMAIL_DOMAIN}",
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "is_active": True,
            "is_superuser": role == ADMIN,
            "is_staff": role in (ADMIN, roles.DISTRICT_OFFICE),
        }
        if username in password_hashes:
            values["password"] = password_hashes[username].result()
        user, new = sync(User, users, username, {"username": username}, values)
        created += new
        if role in groups:
            user.groups.add(groups[role])
        if role == roles.CASHIER:
            sync(Cashier, cashiers, user.pk, {"user": user},
                 {"location": locations[row["location"]]})
        if role == roles.PRODUCER:
            vendors[row["partner"]].partner.users.add(user)
    progress.step("Users (one per role)", len(data.USERS), created)
    return users


def logins(users):
    """(username, email, password, role, what they can do) of each demo user."""
    return [
        (row["username"], users[row["username"]].email, row["password"], row["role"], row["can"])
        for row in data.USERS
    ]


# --- Everything -----------------------------------------------------------------------


def load_all(progress=None, reset_passwords=False):
    """Load (or complete) the whole demo; returns the demo users' logins."""
    progress = progress or Progress()
    with ThreadPoolExecutor(max_workers=PASSWORD_HASH_THREADS) as pool:
        password_hashes = start_password_hashing(pool, reset_passwords)
        load_site()
        units = load_units(progress)
        categories = load_categories(progress)
        classes = load_product_classes(progress)
        vendors = load_producers(units, progress)
        locations = load_locations(units, progress)
        products = load_products(vendors, units, categories, classes, progress)
        load_certificates(products, progress)
        load_batches(products, progress)
        load_images(products, progress)
        load_stock(progress)
        users = load_users(vendors, locations, password_hashes, progress)
    managers = load_extras(progress, reset_passwords)
    return logins(users) + managers


def load_extras(progress, reset_passwords=False):
    """Demo data the other apps add on top: gift combos, the tills' managers and limits,
    the livestream seller's sessions, the producers' programme facts, the storefront API's
    collections, voucher and information pages.

    Returns the logins of the tills' managers (printed with the others).
    """
    from catalogue import combos
    from catalogue.demo_combos import load_demo_combos
    from pos.demo import load_demo_pos, manager_logins

    created = load_demo_combos(stdout=None)
    total = Product.objects.filter(product_class__slug=combos.COMBO_CLASS_SLUG).count()
    progress.step("gift combos", total, created)
    photograph_combos()
    made = load_demo_pos(stdout=None, reset_passwords=reset_passwords)
    managers = manager_logins()
    progress.step("till managers", len(managers), len(made),
                  "password QuanLy@2025, approval PIN 2468")
    from pos.demo_sales import DAYS, load_demo_sales
    from pos.models import TillSale

    rung = load_demo_sales(progress=progress)
    progress.step("till sales (demo)", TillSale.objects.count(), rung,
                  f"the last {DAYS} days, for the reports")
    from shop.live.demo import load_demo_live

    load_demo_live(progress=progress)  # live_seller's finished and scheduled sessions
    from shop.programme.demo import load_demo_programme

    load_demo_programme(progress=progress)  # producers' programme facts, the commune officer
    from shop.graphql.demo import load_demo_storefront

    load_demo_storefront(progress=progress)  # collections, a voucher, information pages
    from shop.invoicing.demo import load_demo_invoicing

    load_demo_invoicing(progress=progress)  # sellers per sales point, VAT categories, the sales' invoices
    from shop.experiences.demo import load_demo_experiences

    load_demo_experiences(progress=progress)  # the two experiences' departures, child prices, bookings
    from shop.evaluation.demo import load_demo_evaluation

    load_demo_evaluation(progress=progress)  # the food group's sheet, the 2026 round half done
    photograph_combos()  # the experiences' gift combo too
    return managers


def photograph_combos():
    """A generated photo for each product still without one (the combos and the gift box)."""
    combo_group = group_of(data.COMBOS)
    for product in Product.objects.filter(images__isnull=True):
        with transaction.atomic():
            image = ProductImage(product=product, display_order=0, caption=product.title)
            image.original.save(
                f"{slugify(product.title)}.jpg",
                ContentFile(product_photo(product.title, combo_group, None)),
                save=True,
            )
