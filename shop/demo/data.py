"""The demo data, as plain Python structures (no database access here).

Everything a shopper sees is Vietnamese. People, companies, tax codes,
phone numbers, bank accounts and barcodes are invented: any likeness to a
real one is a coincidence. Codes are slugs chosen for the demo, not the
official numeric codes of the administrative units.

Barcodes are written as their first twelve digits; the loader adds the
GTIN-13 check digit (``catalogue.barcodes``). Bodies starting with ``893``
(GS1 Vietnam) stand for producers registered with GS1; bodies starting with
``21`` are in-store codes (restricted circulation, 20–29), kept apart from
the ``20`` + product number codes that ``catalogue.barcodes.internal_code``
hands out.

A product's OCOP ``score`` (out of 100) gives its stars (3★ 50–69, 4★ 70–89,
5★ 90–100); ``None`` means not rated yet. ``rated_months_ago`` dates its
certificate relative to the day the demo is loaded, so the demo certificates
stay valid whenever it runs.
"""

import datetime

REFORM_DAY = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = datetime.date(2025, 6, 30)

# --- Administrative units -------------------------------------------------------------
# (code, name, kind, parent code, valid_from, valid_to, replaced_by code)
# Listed parents first; ``replaced_by`` may point to a unit listed later.
ADMINISTRATIVE_UNITS = [
    ("quang-ngai", "Quảng Ngãi", "province", None, REFORM_DAY, None, None),
    ("kon-tum", "Kon Tum", "province", None, None, LAST_DAY_BEFORE_REFORM, "quang-ngai"),
    ("dak-ha-district", "Đăk Hà", "district", "kon-tum", None, LAST_DAY_BEFORE_REFORM, None),
    # The commune formed on 1 July 2025 from the town, Hà Mòn and Đăk La.
    ("dak-ha", "Đăk Hà", "commune", "quang-ngai", REFORM_DAY, None, None),
    ("dak-ha-town", "Đăk Hà", "town", "dak-ha-district", None, LAST_DAY_BEFORE_REFORM, "dak-ha"),
    ("dak-hring", "Đăk Hring", "commune", "dak-ha-district", None, LAST_DAY_BEFORE_REFORM, None),
    ("dak-la", "Đăk La", "commune", "dak-ha-district", None, LAST_DAY_BEFORE_REFORM, "dak-ha"),
    ("dak-long", "Đăk Long", "commune", "dak-ha-district", None, LAST_DAY_BEFORE_REFORM, None),
    ("dak-mar", "Đăk Mar", "commune", "dak-ha-district", None, LAST_DAY_BEFORE_REFORM, None),
    ("dak-ngok", "Đăk Ngọk", "commune", "dak-ha-district", None, LAST_DAY_BEFORE_REFORM, None),
    ("dak-pxi", "Đăk Pxi", "commune", "dak-ha-district", None, LAST_DAY_BEFORE_REFORM, None),
    ("dak-ui", "Đăk Ui", "commune", "dak-ha-district", None, LAST_DAY_BEFORE_REFORM, None),
    ("ha-mon", "Hà Mòn", "commune", "dak-ha-district", None, LAST_DAY_BEFORE_REFORM, "dak-ha"),
    ("ngok-reo", "Ngọk Réo", "commune", "dak-ha-district", None, LAST_DAY_BEFORE_REFORM, None),
    ("ngok-wang", "Ngọk Wang", "commune", "dak-ha-district", None, LAST_DAY_BEFORE_REFORM, None),
]

# --- Product groups -------------------------------------------------------------------
# Keys used by the products below, so a renamed group needs one edit only.
FOOD = "Thực phẩm"
DRINKS = "Đồ uống"
HERBS = "Dược liệu và sản phẩm từ dược liệu"
CRAFTS = "Thủ công mỹ nghệ"
TOURISM = "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"
COMBOS = "Combo quà tặng"

FRESH = "Thực phẩm tươi sống"
RAW = "Thực phẩm thô, sơ chế"
PROCESSED = "Thực phẩm chế biến"
SPICES = "Gia vị"
TEA = "Chè"
COFFEE = "Cà phê"
COCOA = "Ca cao"
ALCOHOLIC = "Đồ uống có cồn"
SOFT_DRINKS = "Đồ uống không cồn"
HEALTH = "Thực phẩm chức năng, thuốc dược liệu, thuốc y học cổ truyền"
COSMETICS = "Mỹ phẩm có thành phần từ thảo dược"
OILS_HERBS = "Tinh dầu và thảo dược khác"
HOUSEWARE = "Thủ công mỹ nghệ gia dụng, trang trí"
TEXTILES = "Vải, may mặc"

# The five OCOP groups of the programme (with their sub-groups), then the gift combos.
CATEGORIES = [
    (FOOD, [FRESH, RAW, PROCESSED, SPICES, TEA, COFFEE, COCOA]),
    (DRINKS, [ALCOHOLIC, SOFT_DRINKS]),
    (HERBS, [HEALTH, COSMETICS, OILS_HERBS]),
    (CRAFTS, [HOUSEWARE, TEXTILES]),
    (TOURISM, []),
    (COMBOS, []),
]
OCOP_GROUPS = [name for name, _children in CATEGORIES if name != COMBOS]

# --- Product classes ------------------------------------------------------------------
OCOP_PRODUCT = "ocop-product"
TOURISM_SERVICE = "tourism-service"

PRODUCT_CLASSES = [
    {"slug": OCOP_PRODUCT, "name": "Sản phẩm OCOP", "requires_shipping": True,
     "track_stock": True},
    {"slug": TOURISM_SERVICE, "name": "Dịch vụ du lịch", "requires_shipping": False,
     "track_stock": False},
]

# --- Producers (OCOP subjects) --------------------------------------------------------
PRODUCERS = [
    {
        "code": "htx-nong-nghiep-dak-mar",
        "name": "HTX Nông nghiệp Đăk Mar",
        "legal_name": "Hợp tác xã Nông nghiệp Đăk Mar",
        "subject_type": "cooperative",
        "commune": "dak-mar",
        "tax_code": "6101526015",
        "phone": "02603826415",
        "address": "Thôn 3, xã Đăk Mar, huyện Đăk Hà, tỉnh Kon Tum",
        "representative": "Nguyễn Văn Hưng",
        "story": (
            "Hợp tác xã được 42 hộ trồng cà phê ở Đăk Mar lập nên năm 2017 để cùng chăm sóc "
            "vườn theo hướng hữu cơ và bán chung một thương hiệu. Cà phê chỉ hái quả chín, "
            "phơi trên giàn tre; vỏ quả được ủ làm phân bón cho vườn tiêu xen canh."
        ),
        "bank_account_number": "5104205118273",
        "sku_prefix": "DMAR",
    },
    {
        "code": "htx-dich-vu-nong-nghiep-ngok-wang",
        "name": "HTX Dịch vụ Nông nghiệp Ngọk Wang",
        "legal_name": "Hợp tác xã Dịch vụ Nông nghiệp Ngọk Wang",
        "subject_type": "cooperative",
        "commune": "ngok-wang",
        "tax_code": "6101815909",
        "phone": "0935418276",
        "address": "Thôn 6, xã Ngọk Wang, huyện Đăk Hà, tỉnh Kon Tum",
        "representative": "A Thiên",
        "story": (
            "Bà con người Xơ Đăng và người Kinh ở Ngọk Wang cùng góp ruộng, góp công trong hợp "
            "tác xã để trồng lúa thơm, nghệ và chè dây. Hợp tác xã lo giống, sấy và đóng gói, "
            "giúp các hộ bán được giá tốt hơn lúc mùa vụ."
        ),
        "bank_account_number": "5104205226481",
        "sku_prefix": "NWAN",
    },
    {
        "code": "tht-det-tho-cam-dak-long",
        "name": "Tổ hợp tác dệt thổ cẩm Đăk Long",
        "legal_name": "Tổ hợp tác dệt thổ cẩm Đăk Long",
        "subject_type": "cooperative_group",
        "commune": "dak-long",
        "tax_code": "6101830167",
        "phone": "0978356102",
        "address": "Làng Kon Jơ Ri, xã Đăk Long, huyện Đăk Hà, tỉnh Kon Tum",
        "representative": "Y Hằng",
        "story": (
            "Mười tám chị em người Ba Na giữ nghề dệt thổ cẩm của làng bằng khung dệt đeo lưng. "
            "Mỗi tấm vải mang hoa văn núi rừng, nhà rông và con đường về làng, "
            "được nhuộm bằng màu từ lá, vỏ cây."
        ),
        "bank_account_number": "5104205330917",
        "sku_prefix": "DLTC",
    },
    {
        "code": "cong-ty-ca-phe-dak-ha-xanh",
        "name": "Công ty TNHH Cà phê Đăk Hà Xanh",
        "legal_name": "Công ty Trách nhiệm hữu hạn Cà phê Đăk Hà Xanh",
        "subject_type": "enterprise",
        "commune": "dak-ha-town",
        "tax_code": "6101613187",
        "phone": "02603861278",
        "address": "Tổ dân phố 4, thị trấn Đăk Hà, huyện Đăk Hà, tỉnh Kon Tum",
        "representative": "Trần Thị Thu Hà",
        "story": (
            "Xưởng rang nhỏ do hai chị em lớn lên giữa vườn cà phê Đăk Hà mở năm 2019. "
            "Công ty thu mua quả chín của các hộ liên kết với giá cao hơn thị trường, "
            "rang mộc từng mẻ nhỏ, không tẩm hương liệu."
        ),
        "bank_account_number": "5104205441652",
        "sku_prefix": "CFDH",
    },
    {
        "code": "trang-trai-duoc-lieu-dak-pxi",
        "name": "Trang trại Dược liệu Đăk Pxi",
        "legal_name": "Trang trại Dược liệu Đăk Pxi",
        "subject_type": "farm",
        "commune": "dak-pxi",
        "tax_code": "6101609134",
        "phone": "0905267349",
        "address": "Thôn Kon Pông, xã Đăk Pxi, huyện Đăk Hà, tỉnh Kon Tum",
        "representative": "Lê Quang Vinh",
        "story": (
            "Trang trại trồng sâm dây dưới tán rừng ở độ cao gần 1.000 mét, "
            "giáp chân dãy Ngọc Linh, và nuôi trồng đông trùng hạ thảo, nấm linh chi "
            "trong phòng sạch. Mỗi lô dược liệu đều được ghi chép từ khi gieo đến khi sấy."
        ),
        "bank_account_number": "5104205552038",
        "sku_prefix": "DPXI",
    },
    {
        "code": "hkd-ruou-truyen-thong-ha-mon",
        "name": "Hộ kinh doanh Rượu truyền thống Hà Mòn",
        "legal_name": "Hộ kinh doanh Đinh Thị Lan",
        "subject_type": "household",
        "commune": "ha-mon",
        "tax_code": "6101909963",
        "phone": "0967841530",
        "address": "Thôn Kon Trang, xã Hà Mòn, huyện Đăk Hà, tỉnh Kon Tum",
        "representative": "Đinh Thị Lan",
        "story": (
            "Gia đình ba thế hệ ủ rượu ghè bằng men lá rừng theo cách của người Rơ Ngao. "
            "Gạo nếp, bắp và men đều lấy từ làng; ghè được ủ đủ ba tháng mới mang bán."
        ),
        "bank_account_number": "5104205663374",
        "sku_prefix": "HMRU",
    },
    {
        "code": "htx-nong-nghiep-dak-ui",
        "name": "HTX Nông nghiệp Đăk Ui",
        "legal_name": "Hợp tác xã Nông nghiệp Đăk Ui",
        "subject_type": "cooperative",
        "commune": "dak-ui",
        "tax_code": "6101462812",
        "phone": "02603829530",
        "address": "Thôn 9, xã Đăk Ui, huyện Đăk Hà, tỉnh Kon Tum",
        "representative": "Phạm Thị Mai",
        "story": (
            "Hợp tác xã trồng chanh dây, macca và nuôi ong trong vườn cà phê của xã viên. "
            "Ong lấy mật hoa cà phê mỗi mùa xuân; chanh dây được ép ngay trong ngày hái."
        ),
        "bank_account_number": "5104205774180",
        "sku_prefix": "DKUI",
    },
    {
        "code": "htx-nong-nghiep-duoc-lieu-dak-hring",
        "name": "HTX Nông nghiệp và Dược liệu Đăk Hring",
        "legal_name": "Hợp tác xã Nông nghiệp và Dược liệu Đăk Hring",
        "subject_type": "cooperative",
        "commune": "dak-hring",
        "tax_code": "6101948218",
        "phone": "0914625873",
        "address": "Thôn 1, xã Đăk Hring, huyện Đăk Hà, tỉnh Kon Tum",
        "representative": "Hoàng Minh Đức",
        "story": (
            "Từ vườn ca cao trồng xen cà phê và những luống sả, nghệ, sâm dây, hợp tác xã "
            "làm ra bột ca cao, trà thảo dược, tinh dầu và xà phòng thủ công. "
            "Phụ nữ trong thôn là phần lớn lao động của xưởng."
        ),
        "bank_account_number": "5104205885296",
        "sku_prefix": "DHRI",
    },
    {
        "code": "htx-du-lich-cong-dong-ngok-reo",
        "name": "HTX Nông nghiệp và Du lịch cộng đồng Ngọk Réo",
        "legal_name": "Hợp tác xã Nông nghiệp và Du lịch cộng đồng Ngọk Réo",
        "subject_type": "cooperative",
        "commune": "ngok-reo",
        "tax_code": "6101993517",
        "phone": "0982153647",
        "address": "Làng Kon Bơ Băn, xã Ngọk Réo, huyện Đăk Hà, tỉnh Kon Tum",
        "representative": "A Blưn",
        "story": (
            "Làng đón khách ở nhà sàn, dẫn đường lên rẫy, vào rừng hái măng và kể chuyện bên "
            "bếp lửa nhà rông. Tiền dịch vụ được chia cho các hộ đón khách và góp vào "
            "quỹ giữ rừng của làng."
        ),
        "bank_account_number": "5104205996412",
        "sku_prefix": "NREO",
    },
    {
        "code": "htx-may-tre-dan-dak-ngok",
        "name": "HTX Mây tre đan và Thủ công mỹ nghệ Đăk Ngọk",
        "legal_name": "Hợp tác xã Mây tre đan và Thủ công mỹ nghệ Đăk Ngọk",
        "subject_type": "cooperative",
        "commune": "dak-ngok",
        "tax_code": "6101378656",
        "phone": "0948731265",
        "address": "Thôn 2, xã Đăk Ngọk, huyện Đăk Hà, tỉnh Kon Tum",
        "representative": "Võ Văn Tâm",
        "story": (
            "Các nghệ nhân lớn tuổi truyền nghề đan gùi, giỏ và tạc gỗ cho lớp trẻ trong "
            "hợp tác xã. Mây, tre, lồ ô được khai thác có kế hoạch và trồng lại ở rẫy của làng."
        ),
        "bank_account_number": "5104205107528",
        "sku_prefix": "DNGK",
    },
]
BANK_NAME = "Agribank – Chi nhánh huyện Đăk Hà"

# --- Products -------------------------------------------------------------------------
# producer: a producer's code; category: a sub-group (or group) name; price in đồng.
# origin: the commune of origin when it differs from the producer's commune.
PRODUCTS = [
    # HTX Nông nghiệp Đăk Mar
    {
        "producer": "htx-nong-nghiep-dak-mar", "sku": "DMAR-001", "upc_body": "893604700001",
        "title": "Cà phê nhân Robusta Đăk Hà 1 kg", "category": COFFEE, "price": 120_000,
        "score": 75, "rated_months_ago": 14, "net_quantity": "1 kg",
        "shelf_life": "12 tháng kể từ ngày đóng gói",
        "description": (
            "Cà phê nhân Robusta trồng ở độ cao 600 mét, chỉ hái quả chín và phơi trên giàn tre. "
            "Hạt sàng cỡ 18, tỉ lệ hạt lỗi thấp, phù hợp để rang tại nhà hoặc cho quán cà phê."
        ),
    },
    {
        "producer": "htx-nong-nghiep-dak-mar", "sku": "DMAR-002", "upc_body": "893604700002",
        "title": "Hạt tiêu đen Đăk Mar 200 g", "category": SPICES, "price": 65_000,
        "score": 66, "rated_months_ago": 20, "net_quantity": "200 g",
        "shelf_life": "24 tháng kể từ ngày sản xuất",
        "description": (
            "Tiêu đen trồng xen trong vườn cà phê, hái khi chùm đã có hạt chín đỏ. "
            "Hạt chắc, cay nồng và thơm, được phơi nắng và sàng sạch trước khi đóng túi zip."
        ),
    },
    {
        "producer": "htx-nong-nghiep-dak-mar", "sku": "DMAR-003", "upc_body": "893604700003",
        "title": "Chuối sấy dẻo Đăk Mar 250 g", "category": PROCESSED, "price": 45_000,
        "score": 62, "rated_months_ago": 35, "net_quantity": "250 g",
        "shelf_life": "6 tháng kể từ ngày sản xuất",
        "description": (
            "Chuối tây chín cây được bóc vỏ, sấy lạnh nhiều giờ để giữ vị ngọt tự nhiên. "
            "Không thêm đường, không chất bảo quản; món ăn vặt cho cả trẻ em."
        ),
    },
    # HTX Dịch vụ Nông nghiệp Ngọk Wang
    {
        "producer": "htx-dich-vu-nong-nghiep-ngok-wang", "sku": "NWAN-001",
        "upc_body": "210002000001",
        "title": "Gạo thơm Ngọk Wang túi 5 kg", "category": RAW, "price": 125_000,
        "score": 58, "rated_months_ago": 26, "net_quantity": "5 kg",
        "shelf_life": "12 tháng kể từ ngày xay xát",
        "description": (
            "Gạo thơm trồng trên cánh đồng ven sông Đăk Psi, mỗi năm chỉ một vụ chính. "
            "Cơm dẻo, thơm nhẹ và vẫn mềm khi để nguội. Gạo được xay mới theo từng đợt giao."
        ),
    },
    {
        "producer": "htx-dich-vu-nong-nghiep-ngok-wang", "sku": "NWAN-002",
        "upc_body": "210002000002",
        "title": "Tinh bột nghệ Ngọk Wang 500 g", "category": PROCESSED, "price": 190_000,
        "score": 72, "rated_months_ago": 9, "net_quantity": "500 g",
        "shelf_life": "24 tháng kể từ ngày sản xuất",
        "description": (
            "Nghệ vàng trồng trên đất đỏ bazan được xay, lọc nhiều lần để tách bỏ tinh dầu "
            "và chất xơ. Tinh bột mịn, màu vàng tươi, pha với mật ong hoặc sữa ấm đều dễ uống."
        ),
    },
    {
        "producer": "htx-dich-vu-nong-nghiep-ngok-wang", "sku": "NWAN-003",
        "upc_body": "210002000003",
        "title": "Chè dây Ngọk Wang 200 g", "category": TEA, "price": 90_000,
        "score": 64, "rated_months_ago": 17, "net_quantity": "200 g",
        "shelf_life": "24 tháng kể từ ngày sản xuất",
        "description": (
            "Lá và cành non chè dây mọc trên rẫy được hái tay, ủ men nhẹ rồi sấy khô. "
            "Nước chè vàng sóng sánh, vị đắng nhẹ rồi ngọt hậu, bà con quen uống thay nước lọc."
        ),
    },
    # Tổ hợp tác dệt thổ cẩm Đăk Long
    {
        "producer": "tht-det-tho-cam-dak-long", "sku": "DLTC-001", "upc_body": "210003000001",
        "title": "Khăn choàng thổ cẩm Ba Na", "category": TEXTILES, "price": 150_000,
        "score": 71, "rated_months_ago": 11, "net_quantity": "1 chiếc (40 × 180 cm)",
        "description": (
            "Khăn dệt tay trên khung dệt đeo lưng, nền đen với hoa văn đỏ, trắng của người Ba Na. "
            "Mỗi chiếc mất khoảng bốn ngày dệt nên hoa văn không hoàn toàn giống nhau."
        ),
    },
    {
        "producer": "tht-det-tho-cam-dak-long", "sku": "DLTC-002", "upc_body": "210003000002",
        "title": "Túi thổ cẩm đeo chéo", "category": TEXTILES, "price": 220_000,
        "score": 68, "rated_months_ago": 11, "net_quantity": "1 chiếc (25 × 30 cm)",
        "description": (
            "Túi may từ vải thổ cẩm dệt tay, lót vải bố và có khóa kéo. "
            "Quai đeo điều chỉnh được, đủ rộng cho điện thoại, ví và một chai nước nhỏ."
        ),
    },
    {
        "producer": "tht-det-tho-cam-dak-long", "sku": "DLTC-003", "upc_body": "210003000003",
        "title": "Tấm vải thổ cẩm dệt tay 2 m", "category": TEXTILES, "price": 1_200_000,
        "score": 80, "rated_months_ago": 5, "net_quantity": "1 tấm (0,5 × 2 m)",
        "description": (
            "Tấm vải dài hai mét dệt bằng sợi bông nhuộm màu từ vỏ cây và lá rừng. "
            "Hoa văn nhà rông và núi rừng được các nghệ nhân lớn tuổi của làng lên mẫu. "
            "Dùng may trang phục, làm khăn trải bàn hoặc treo tường."
        ),
    },
    {
        "producer": "tht-det-tho-cam-dak-long", "sku": "DLTC-004", "upc_body": "210003000004",
        "title": "Trải nghiệm dệt thổ cẩm cùng nghệ nhân (nửa ngày)", "category": TOURISM,
        "price": 200_000, "score": None, "product_class": TOURISM_SERVICE,
        "net_quantity": "1 người, nửa ngày",
        "description": (
            "Nửa ngày ở làng Kon Jơ Ri: nghe nghệ nhân kể về các hoa văn, tự tay mắc sợi "
            "và dệt một dải vải nhỏ mang về làm kỷ niệm. Giá cho một người, đã gồm nước uống "
            "và vật liệu; nên đặt trước một ngày."
        ),
    },
    # Công ty TNHH Cà phê Đăk Hà Xanh
    {
        "producer": "cong-ty-ca-phe-dak-ha-xanh", "sku": "CFDH-001", "upc_body": "893851200001",
        "title": "Cà phê rang xay nguyên chất Đăk Hà 500 g", "category": COFFEE,
        "price": 150_000, "score": 91, "rated_months_ago": 7, "net_quantity": "500 g",
        "shelf_life": "12 tháng kể từ ngày rang",
        "description": (
            "Robusta Đăk Hà hái chín, rang mộc ở nhiệt độ vừa để giữ vị đắng đậm và hậu ngọt. "
            "Xay sẵn cỡ hạt cho phin; không tẩm bơ, không hương liệu. "
            "Túi có van một chiều giữ cà phê thơm lâu."
        ),
    },
    {
        "producer": "cong-ty-ca-phe-dak-ha-xanh", "sku": "CFDH-002", "upc_body": "893851200002",
        "title": "Cà phê phin giấy Robusta Honey hộp 10 gói", "category": COFFEE,
        "price": 95_000, "score": 78, "rated_months_ago": 4, "net_quantity": "10 gói × 12 g",
        "shelf_life": "12 tháng kể từ ngày sản xuất",
        "description": (
            "Hạt Robusta sơ chế mật ong (honey) cho vị ngọt trái cây, đóng trong phin giấy "
            "tiện mang theo. Chỉ cần treo lên cốc và rót nước sôi, một gói cho một ly."
        ),
    },
    {
        "producer": "cong-ty-ca-phe-dak-ha-xanh", "sku": "CFDH-003", "upc_body": "893851200003",
        "title": "Cà phê hạt rang mộc Culi Đăk Hà 250 g", "category": COFFEE, "price": 110_000,
        "score": 74, "rated_months_ago": 22, "net_quantity": "250 g",
        "shelf_life": "12 tháng kể từ ngày rang",
        "description": (
            "Hạt Culi tròn, chỉ chiếm một phần nhỏ mỗi vụ, được tách riêng và rang mộc. "
            "Vị đậm, nhiều caffeine, hợp pha máy hoặc phin; xay ngay trước khi pha để thơm nhất."
        ),
    },
    # Trang trại Dược liệu Đăk Pxi
    {
        "producer": "trang-trai-duoc-lieu-dak-pxi", "sku": "DPXI-001",
        "upc_body": "893917600001",
        "title": "Sâm dây Ngọc Linh khô 500 g", "category": OILS_HERBS, "price": 450_000,
        "score": 84, "rated_months_ago": 13, "net_quantity": "500 g",
        "shelf_life": "24 tháng kể từ ngày sản xuất",
        "description": (
            "Củ sâm dây trồng dưới tán rừng từ ba năm tuổi trở lên, rửa sạch, thái lát và sấy lạnh. "
            "Dùng hầm gà, nấu cháo hoặc ngâm rượu; vị ngọt, mùi thơm đặc trưng."
        ),
    },
    {
        "producer": "trang-trai-duoc-lieu-dak-pxi", "sku": "DPXI-002",
        "upc_body": "893917600002",
        "title": "Đông trùng hạ thảo sấy thăng hoa hộp 20 g", "category": HEALTH,
        "price": 450_000, "score": 77, "rated_months_ago": 8, "net_quantity": "20 g",
        "shelf_life": "24 tháng kể từ ngày sản xuất",
        "description": (
            "Đông trùng hạ thảo nuôi trồng trong phòng sạch của trang trại, sấy thăng hoa để giữ "
            "nguyên màu cam và dưỡng chất. Hãm với nước ấm như trà hoặc nấu cùng món canh."
        ),
    },
    {
        "producer": "trang-trai-duoc-lieu-dak-pxi", "sku": "DPXI-003",
        "upc_body": "893917600003",
        "title": "Cao sâm dây 100 g", "category": HEALTH, "price": 320_000,
        "score": 69, "rated_months_ago": 19, "net_quantity": "100 g",
        "shelf_life": "24 tháng kể từ ngày sản xuất",
        "description": (
            "Cao đặc nấu từ củ sâm dây của trang trại theo phương pháp cô chân không. "
            "Mỗi lần dùng một thìa nhỏ pha với nước ấm; không dùng cho trẻ em dưới sáu tuổi."
        ),
    },
    {
        "producer": "trang-trai-duoc-lieu-dak-pxi", "sku": "DPXI-004",
        "upc_body": "893917600004",
        "title": "Nấm linh chi đỏ thái lát 250 g", "category": OILS_HERBS, "price": 380_000,
        "score": 60, "rated_months_ago": 28, "net_quantity": "250 g",
        "shelf_life": "24 tháng kể từ ngày sản xuất",
        "description": (
            "Nấm linh chi đỏ trồng trên mùn cưa gỗ cao su, thu hái khi tán nấm đã phát tán bào tử. "
            "Nấm được thái lát mỏng, sấy khô, đun lấy nước uống hằng ngày."
        ),
    },
    # Hộ kinh doanh Rượu truyền thống Hà Mòn
    {
        "producer": "hkd-ruou-truyen-thong-ha-mon", "sku": "HMRU-001",
        "upc_body": "210006000001",
        "title": "Rượu ghè Hà Mòn bình 3 lít", "category": ALCOHOLIC, "price": 350_000,
        "score": 65, "rated_months_ago": 30, "net_quantity": "3 lít",
        "shelf_life": "12 tháng kể từ ngày ủ",
        "description": (
            "Rượu ghè ủ từ gạo nếp, bắp và men lá rừng trong ghè sành suốt ba tháng. "
            "Khi uống chế nước suối vào ghè và dùng cần tre hút, như trong ngày hội của làng. "
            "Sản phẩm có cồn, không bán cho người dưới 18 tuổi."
        ),
    },
    {
        "producer": "hkd-ruou-truyen-thong-ha-mon", "sku": "HMRU-002",
        "upc_body": "210006000002",
        "title": "Rượu Sâm Ngọc Linh bình 1 lít", "category": ALCOHOLIC, "price": 1_500_000,
        "score": 92, "rated_months_ago": 3, "origin": "dak-pxi", "net_quantity": "1 lít",
        "shelf_life": "36 tháng kể từ ngày đóng bình",
        "description": (
            "Rượu nếp nấu thủ công ngâm củ Sâm Ngọc Linh trồng dưới tán rừng, "
            "có giấy xác nhận nguồn gốc của từng củ. Rượu màu vàng nhạt, thơm mùi sâm, "
            "hậu vị đắng nhẹ rồi ngọt. Sản phẩm có cồn, không bán cho người dưới 18 tuổi."
        ),
    },
    {
        "producer": "hkd-ruou-truyen-thong-ha-mon", "sku": "HMRU-003",
        "upc_body": "210006000003",
        "title": "Rượu nếp than Hà Mòn chai 500 ml", "category": ALCOHOLIC, "price": 90_000,
        "score": 55, "rated_months_ago": 40,  # expired: the badge is withdrawn
        "net_quantity": "500 ml",
        "shelf_life": "24 tháng kể từ ngày sản xuất",
        "description": (
            "Rượu nấu từ nếp than trồng trên rẫy, men lá truyền thống, chưng cất hai lần. "
            "Màu tím đỏ tự nhiên, vị ngọt dịu. Sản phẩm có cồn, không bán cho người dưới 18 tuổi."
        ),
    },
    # HTX Nông nghiệp Đăk Ui
    {
        "producer": "htx-nong-nghiep-dak-ui", "sku": "DKUI-001", "upc_body": "893623300001",
        "title": "Mật ong hoa cà phê Đăk Ui chai 500 ml", "category": RAW, "price": 160_000,
        "score": 81, "rated_months_ago": 10, "net_quantity": "500 ml",
        "shelf_life": "24 tháng kể từ ngày đóng chai",
        "description": (
            "Mật ong khai thác một lần mỗi năm vào mùa hoa cà phê nở trắng đồi Đăk Ui. "
            "Mật sánh, màu hổ phách nhạt, thơm mùi hoa cà phê; có thể kết tinh khi trời lạnh."
        ),
    },
    {
        "producer": "htx-nong-nghiep-dak-ui", "sku": "DKUI-002", "upc_body": "893623300002",
        "title": "Hạt macca sấy nứt vỏ Đăk Ui 500 g", "category": PROCESSED, "price": 175_000,
        "score": 73, "rated_months_ago": 15, "net_quantity": "500 g",
        "shelf_life": "9 tháng kể từ ngày sản xuất",
        "description": (
            "Macca trồng xen cà phê, sấy nhiều ngày ở nhiệt độ thấp rồi tách nứt vỏ sẵn. "
            "Hạt béo, giòn, thơm bơ; trong túi có dụng cụ tách vỏ."
        ),
    },
    {
        "producer": "htx-nong-nghiep-dak-ui", "sku": "DKUI-003", "upc_body": "210007000003",
        "title": "Chanh dây tím tươi Đăk Ui hộp 2 kg", "category": FRESH, "price": 60_000,
        "score": 57, "rated_months_ago": 21, "net_quantity": "2 kg",
        "shelf_life": "10 ngày kể từ ngày thu hoạch",
        "description": (
            "Chanh dây tím hái trong ngày, vỏ căng bóng, ruột nhiều nước và thơm. "
            "Bảo quản nơi thoáng mát; dùng pha nước uống, làm sốt hoặc ăn trực tiếp."
        ),
    },
    {
        "producer": "htx-nong-nghiep-dak-ui", "sku": "DKUI-004", "upc_body": "893623300004",
        "title": "Nước ép chanh dây Đăk Ui lốc 6 chai 330 ml", "category": SOFT_DRINKS,
        "price": 90_000, "score": 70, "rated_months_ago": 6, "net_quantity": "6 × 330 ml",
        "shelf_life": "6 tháng kể từ ngày sản xuất",
        "description": (
            "Nước ép từ chanh dây tươi ép ngay trong ngày hái, thanh trùng nhẹ và đóng chai thủy "
            "tinh. Vị chua ngọt tự nhiên, ít đường; ngon nhất khi uống lạnh."
        ),
    },
    {
        "producer": "htx-nong-nghiep-dak-ui", "sku": "DKUI-005", "upc_body": "893623300005",
        "title": "Siro chanh dây Đăk Ui chai 500 ml", "category": SOFT_DRINKS, "price": 75_000,
        "score": None, "net_quantity": "500 ml",
        "shelf_life": "12 tháng kể từ ngày sản xuất",
        "description": (
            "Siro nấu từ ruột chanh dây và đường mía, giữ nguyên hạt chanh dây. "
            "Pha một phần siro với bốn phần nước và đá; cũng dùng rưới bánh, sữa chua."
        ),
    },
    # HTX Nông nghiệp và Dược liệu Đăk Hring
    {
        "producer": "htx-nong-nghiep-duoc-lieu-dak-hring", "sku": "DHRI-001",
        "upc_body": "893635800001",
        "title": "Bột ca cao nguyên chất Đăk Hring 250 g", "category": COCOA, "price": 120_000,
        "score": 63, "rated_months_ago": 24, "net_quantity": "250 g",
        "shelf_life": "18 tháng kể từ ngày sản xuất",
        "description": (
            "Hạt ca cao lên men sáu ngày trong thùng gỗ, phơi nắng rồi rang và ép bớt bơ. "
            "Bột nâu đậm, vị đắng thơm, không pha đường; pha với sữa nóng hoặc làm bánh."
        ),
    },
    {
        "producer": "htx-nong-nghiep-duoc-lieu-dak-hring", "sku": "DHRI-002",
        "upc_body": "893635800002",
        "title": "Sô-cô-la đen 70% ca cao Đăk Hring thanh 100 g", "category": COCOA,
        "price": 65_000, "score": 71, "rated_months_ago": 12, "net_quantity": "100 g",
        "shelf_life": "12 tháng kể từ ngày sản xuất",
        "description": (
            "Sô-cô-la làm từ hạt ca cao của hợp tác xã, 70% ca cao và đường mía, không thêm chất béo "
            "thực vật. Vị đắng đậm, thoảng hương trái cây của hạt lên men kỹ."
        ),
    },
    {
        "producer": "htx-nong-nghiep-duoc-lieu-dak-hring", "sku": "DHRI-003",
        "upc_body": "893635800003",
        "title": "Trà túi lọc sâm dây hộp 20 túi", "category": HEALTH, "price": 85_000,
        "score": 67, "rated_months_ago": 16, "net_quantity": "20 túi × 2 g",
        "shelf_life": "24 tháng kể từ ngày sản xuất",
        "description": (
            "Trà phối sâm dây, cỏ ngọt và gừng sấy khô, đóng trong túi lọc giấy không tẩy trắng. "
            "Hãm một túi với nước sôi trong năm phút; uống nóng hoặc để lạnh."
        ),
    },
    {
        "producer": "htx-nong-nghiep-duoc-lieu-dak-hring", "sku": "DHRI-004",
        "upc_body": "893635800004",
        "title": "Tinh dầu sả chanh Đăk Hring chai 50 ml", "category": OILS_HERBS,
        "price": 85_000, "score": 70, "rated_months_ago": 18, "net_quantity": "50 ml",
        "shelf_life": "36 tháng kể từ ngày sản xuất",
        "description": (
            "Tinh dầu chưng cất hơi nước từ lá sả chanh trồng tại Đăk Hring. "
            "Nhỏ vài giọt vào máy khuếch tán để thơm phòng, đuổi muỗi; không uống."
        ),
    },
    {
        "producer": "htx-nong-nghiep-duoc-lieu-dak-hring", "sku": "DHRI-005",
        "upc_body": "210008000005",
        "title": "Xà phòng thảo dược nghệ sả hộp 3 bánh", "category": COSMETICS,
        "price": 95_000, "score": 61, "rated_months_ago": 27, "net_quantity": "3 bánh × 100 g",
        "shelf_life": "24 tháng kể từ ngày sản xuất",
        "description": (
            "Xà phòng nấu nguội từ dầu dừa, tinh bột nghệ và tinh dầu sả của hợp tác xã. "
            "Bánh được để khô sáu tuần trước khi đóng hộp, bọt mịn và dịu nhẹ với da."
        ),
    },
    {
        "producer": "htx-nong-nghiep-duoc-lieu-dak-hring", "sku": "DHRI-006",
        "upc_body": "210008000006",
        "title": "Dầu gội bồ kết thảo dược chai 300 ml", "category": COSMETICS,
        "price": 85_000, "score": None, "net_quantity": "300 ml",
        "shelf_life": "18 tháng kể từ ngày sản xuất",
        "description": (
            "Dầu gội nấu từ quả bồ kết, vỏ bưởi, hương nhu và sả. "
            "Ít bọt, không chất tạo mùi tổng hợp; tóc mềm và sạch gàu sau vài lần gội."
        ),
    },
    # HTX Nông nghiệp và Du lịch cộng đồng Ngọk Réo
    {
        "producer": "htx-du-lich-cong-dong-ngok-reo", "sku": "NREO-001",
        "upc_body": "210009000001",
        "title": "Măng khô Ngọk Réo 500 g", "category": RAW, "price": 180_000,
        "score": 66, "rated_months_ago": 23, "net_quantity": "500 g",
        "shelf_life": "12 tháng kể từ ngày sản xuất",
        "description": (
            "Măng le hái trong rừng đầu mùa mưa, luộc chín và phơi nắng nhiều ngày. "
            "Măng vàng, dày cơm; ngâm nước vo gạo một đêm rồi nấu canh, hầm xương hay xào."
        ),
    },
    {
        "producer": "htx-du-lich-cong-dong-ngok-reo", "sku": "NREO-002",
        "upc_body": "210009000002",
        "title": "Muối sả ớt rừng Ngọk Réo hũ 150 g", "category": SPICES, "price": 45_000,
        "score": 59, "rated_months_ago": 29, "net_quantity": "150 g",
        "shelf_life": "12 tháng kể từ ngày sản xuất",
        "description": (
            "Muối hột rang cùng sả, ớt rừng và lá é theo cách của bà con trong làng. "
            "Chấm gà luộc, trái cây hoặc bắp nướng đều ngon."
        ),
    },
    {
        "producer": "htx-du-lich-cong-dong-ngok-reo", "sku": "NREO-003",
        "upc_body": "210009000003",
        "title": "Tour một ngày du lịch cộng đồng làng Kon Bơ Băn", "category": TOURISM,
        "price": 450_000, "score": 72, "rated_months_ago": 10,
        "product_class": TOURISM_SERVICE, "net_quantity": "1 người, 1 ngày",
        "description": (
            "Một ngày cùng người Xơ Đăng ở Ngọk Réo: đi rẫy, vào rừng hái măng, học nấu cơm lam "
            "và ăn trưa ở nhà sàn. Buổi chiều xem múa xoang và nghe kể chuyện bên nhà rông. "
            "Giá cho một người, gồm hướng dẫn viên người địa phương và bữa trưa."
        ),
    },
    # HTX Mây tre đan và Thủ công mỹ nghệ Đăk Ngọk
    {
        "producer": "htx-may-tre-dan-dak-ngok", "sku": "DNGK-001", "upc_body": "210010000001",
        "title": "Gùi mây tre đan truyền thống", "category": HOUSEWARE, "price": 350_000,
        "score": 76, "rated_months_ago": 9, "net_quantity": "1 chiếc (cao 60 cm)",
        "description": (
            "Gùi đan từ lồ ô và mây rừng theo dáng gùi đi rẫy của người Xơ Đăng. "
            "Quai đeo bện bằng vỏ cây, đáy gia cố bằng gỗ; dùng đựng đồ hoặc trang trí nhà."
        ),
    },
    {
        "producer": "htx-may-tre-dan-dak-ngok", "sku": "DNGK-002", "upc_body": "210010000002",
        "title": "Giỏ mây đựng quà có nắp", "category": HOUSEWARE, "price": 120_000,
        "score": None, "net_quantity": "1 chiếc (30 × 20 × 15 cm)",
        "description": (
            "Giỏ đan mây có nắp, lót vải thổ cẩm, vừa để xếp quà Tết hay đựng đồ trong nhà. "
            "Mỗi chiếc đan tay trong khoảng một ngày."
        ),
    },
    {
        "producer": "htx-may-tre-dan-dak-ngok", "sku": "DNGK-003", "upc_body": "210010000003",
        "title": "Mô hình nhà rông bằng gỗ", "category": HOUSEWARE, "price": 850_000,
        "score": 68, "rated_months_ago": 25, "net_quantity": "1 chiếc (cao 45 cm)",
        "description": (
            "Mô hình nhà rông thu nhỏ làm từ gỗ và tranh, theo đúng tỉ lệ mái nhà rông của làng. "
            "Các chi tiết được tạc và ghép bằng tay, không dùng đinh; món quà lưu niệm "
            "mang dáng dấp Bắc Tây Nguyên."
        ),
    },
]

# --- Sales points and tills -----------------------------------------------------------
LOCATIONS = [
    {
        "code": "showcase",
        "name": "Điểm giới thiệu và bán sản phẩm OCOP huyện Đăk Hà",
        "kind": "showcase",
        "commune": "dak-ha-town",
        "address": "Số 230 đường Hùng Vương, thị trấn Đăk Hà, huyện Đăk Hà, tỉnh Kon Tum",
        "phone": "02603824188",
        "priority": 1,
    },
    {
        "code": "dak-mar",
        "name": "Điểm bán sản phẩm OCOP xã Đăk Mar",
        "kind": "commune_point",
        "commune": "dak-mar",
        "address": "Trụ sở HTX Nông nghiệp Đăk Mar, thôn 3, xã Đăk Mar, huyện Đăk Hà, tỉnh Kon Tum",
        "phone": "02603826416",
        "priority": 2,
    },
    {
        "code": "ngok-wang",
        "name": "Điểm bán sản phẩm OCOP xã Ngọk Wang",
        "kind": "commune_point",
        "commune": "ngok-wang",
        "address": "Cạnh chợ xã Ngọk Wang, thôn 6, xã Ngọk Wang, huyện Đăk Hà, tỉnh Kon Tum",
        "phone": "02603827203",
        "priority": 3,
    },
]
REGISTER_NAME = "Quầy 1"

# --- People ---------------------------------------------------------------------------
# role: "admin" (superuser) or a group of shop.core.roles. Vietnamese names are stored as
# first_name = family and middle names, last_name = given name, so Django's
# get_full_name() reads in Vietnamese order ("Nguyễn Thị Lan").
EMAIL_DOMAIN = "ocop-dakha.vn"
USERS = [
    {
        "username": "admin", "password": "QuanTri@2025", "role": "admin",
        "first_name": "Quản trị", "last_name": "hệ thống",
        "can": "everything: /admin/, /dashboard/, every till",
    },
    {
        "username": "office", "password": "PhongNN@2025", "role": "district_office",
        "first_name": "Phạm Thị", "last_name": "Hồng",
        "can": "Oscar dashboard, OCOP certificates, stock /dashboard/inventory/, "
               "producer changes /office/changes/, settlement /office/settlement/",
    },
    {
        "username": "cashier_showcase", "password": "ThuNgan@TT1", "role": "cashier",
        "location": "showcase", "first_name": "Nguyễn Thị", "last_name": "Thảo",
        "can": "till /pos/ at the district showcase shop",
    },
    {
        "username": "cashier_dakmar", "password": "ThuNgan@DM2", "role": "cashier",
        "location": "dak-mar", "first_name": "Y", "last_name": "Blin",
        "can": "till /pos/ at the Đăk Mar sales point",
    },
    {
        "username": "cashier_ngokwang", "password": "ThuNgan@NW3", "role": "cashier",
        "location": "ngok-wang", "first_name": "Lê Văn", "last_name": "Khánh",
        "can": "till /pos/ at the Ngọk Wang sales point",
    },
    {
        "username": "producer_dakmar", "password": "ChuThe@DM25", "role": "producer",
        "partner": "htx-nong-nghiep-dak-mar", "first_name": "Nguyễn Văn", "last_name": "Hưng",
        "can": "producer corner /producer/ of HTX Nông nghiệp Đăk Mar (own listings, stock, sales)",
    },
    {
        "username": "producer_cafe", "password": "ChuThe@CF25", "role": "producer",
        "partner": "cong-ty-ca-phe-dak-ha-xanh", "first_name": "Trần Thị Thu", "last_name": "Hà",
        "can": "producer corner /producer/ of Công ty TNHH Cà phê Đăk Hà Xanh",
    },
    {
        "username": "producer_ngokreo", "password": "ChuThe@NR25", "role": "producer",
        "partner": "htx-du-lich-cong-dong-ngok-reo", "first_name": "A", "last_name": "Blưn",
        "can": "producer corner of HTX Du lịch cộng đồng Ngọk Réo: its village tour's departures, "
               "guest lists and check-in at /experiences/provider/",
    },
    {
        "username": "live_seller", "password": "Livestream@25", "role": "livestream_seller",
        "first_name": "Đỗ Minh", "last_name": "Anh",
        "can": "livestream seller /live/ (Tuổi trẻ Đăk Hà Live): links and QR, sessions (yesterday's "
               "finished one with its report, tomorrow's scheduled one), comment orders, earnings",
    },
    {
        "username": "commune_dakmar", "password": "CanBoXa@25", "role": "commune_officer",
        "first_name": "A", "last_name": "Thương",
        "can": "OCOP officer of Đăk Mar: the programme dashboard /office/programme/ "
               "limited to the commune's producers",
    },
]

SITE = {"domain": "127.0.0.1:8000", "name": "OCOP Đăk Hà"}
