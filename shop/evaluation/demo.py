"""Demo data of the OCOP evaluation: the food group's scoring sheet, its dossier list, and the
2026 round half done — so the office can finish it in the browser.

* **The sheet** of the food group ("Thực phẩm"), written after the structure of Decision
  148/QĐ-TTg (2023): part A, production and community organisation (40 points), part B,
  marketing and the product's story (25), part C, quality (35); each criterion with its
  options and points. The wording is ours, from the structure, not the decision's text.
* **The dossier list** of the food group (registration form, business plan, business
  registration, food-safety certificate, quality declaration, test report, label,
  photos; product story and trademark papers optional).
* **The round** "2026", open, provincial level, with its council: ``council_chair``
  (chair), ``council_member1``, ``council_member2`` (password ``HoiDong@25``).
* **Six applications** of the demo producers (``producer_dakmar`` of Đăk Mar, whose
  officer is ``commune_dakmar``; ``producer_cafe`` of Đăk Hà town, which has no commune
  officer, so the office checks it), moved through the real rules
  (:mod:`shop.evaluation.workflow`, :mod:`~shop.evaluation.documents`,
  :mod:`~shop.evaluation.scoring`): a draft, one submitted (waiting for the commune),
  one returned with its reason, one forwarded (the office opens its scoring), one being
  scored (two of three members submitted: ``council_member2`` still to score, then the
  chair closes), one scored and closed (≈4★: the office records the decision).

Idempotent: a second run finds every row by its natural key and adds nothing (an
application that exists is left as it is — the office may have moved it on).
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue import certification
from shop.core.progress import Progress
from shop.core.roles import COUNCIL_MEMBER
from shop.evaluation import documents, scoring, workflow
from shop.evaluation.models import (
    Application,
    Council,
    CouncilMember,
    Criterion,
    CriterionOption,
    DocumentKind,
    EvaluationRound,
    RequiredDocument,
    ScoringSheet,
    SheetPart,
    State,
)

PASSWORD = "HoiDong@25"
EMAIL_DOMAIN = "ocop-dakha.vn"
FOOD = "Thực phẩm"
ROUND_NAME = "Đợt đánh giá, phân hạng sản phẩm OCOP năm 2026"
ROUND_YEAR = 2026

# username, family + middle names, given name, role, title
COUNCIL = [
    ("council_chair", "Trần Văn", "Minh", CouncilMember.Role.CHAIR,
     "Phó Giám đốc Sở Nông nghiệp và Môi trường"),
    ("council_member1", "Lê Thị", "Mai", CouncilMember.Role.MEMBER,
     "Chuyên viên Chi cục Quản lý chất lượng nông lâm sản và thủy sản"),
    ("council_member2", "Y", "Đức", CouncilMember.Role.MEMBER,
     "Chuyên viên Trung tâm Khuyến công và Xúc tiến thương mại"),
]

# (code, title, max points, [(criterion, [(option, points), ...]), ...])
SHEET = [
    ("A", "Sản xuất và tổ chức cộng đồng", 40, [
        ("Nguồn nguyên liệu chính", [
            ("Mua ngoài, chưa chứng minh được nguồn gốc", 0),
            ("Mua ngoài tỉnh, có hợp đồng cung ứng", 2),
            ("Một phần nguyên liệu từ địa phương", 3),
            ("Toàn bộ từ vùng nguyên liệu của địa phương, có hợp đồng liên kết", 5),
        ]),
        ("Sử dụng lao động tại địa phương", [
            ("Dưới 30% lao động là người địa phương", 1),
            ("Từ 30% đến 50%", 2),
            ("Trên 50%", 3),
        ]),
        ("Mức độ chế biến, gia tăng giá trị", [
            ("Chỉ sơ chế", 1),
            ("Chế biến", 3),
            ("Chế biến sâu, có công nghệ phù hợp", 4),
        ]),
        ("Quy mô, khả năng mở rộng sản xuất", [
            ("Nhỏ lẻ, theo mùa vụ", 1),
            ("Ổn định quanh năm", 2),
            ("Ổn định, có kế hoạch mở rộng khả thi", 3),
        ]),
        ("Quy trình sản xuất và ghi chép", [
            ("Chưa có quy trình bằng văn bản", 0),
            ("Có quy trình sản xuất", 2),
            ("Có quy trình, ghi chép đầy đủ, áp dụng công cụ quản lý chất lượng", 4),
        ]),
        ("Bảo vệ môi trường trong sản xuất", [
            ("Chưa có biện pháp", 0),
            ("Có cam kết, kế hoạch bảo vệ môi trường", 1),
            ("Có biện pháp xử lý chất thải, tái sử dụng phụ phẩm", 3),
        ]),
        ("Hình thức tổ chức của chủ thể", [
            ("Hộ kinh doanh", 1),
            ("Tổ hợp tác hoặc doanh nghiệp", 2),
            ("Hợp tác xã, hoặc doanh nghiệp có thành viên góp vốn là người địa phương", 4),
        ]),
        ("Liên kết sản xuất theo chuỗi giá trị", [
            ("Chưa có liên kết", 0),
            ("Có liên kết với người sản xuất hoặc người bán", 2),
            ("Có chuỗi liên kết từ nguyên liệu đến tiêu thụ, có hợp đồng", 4),
        ]),
        ("Phương án, kế hoạch kinh doanh", [
            ("Chưa có", 0),
            ("Có kế hoạch kinh doanh", 2),
            ("Có phương án kinh doanh với mục tiêu và nguồn lực rõ ràng", 3),
        ]),
        ("Phụ nữ, đồng bào dân tộc thiểu số tham gia quản lý", [
            ("Không có", 0),
            ("Có tham gia", 1),
            ("Giữ vị trí lãnh đạo chủ chốt", 2),
        ]),
        ("Báo cáo tài chính, kết quả kinh doanh", [
            ("Không có", 0),
            ("Có ghi chép thu chi", 1),
            ("Có báo cáo tài chính theo quy định", 3),
        ]),
        ("Nhãn hiệu, sở hữu trí tuệ", [
            ("Chưa đăng ký", 0),
            ("Đã nộp đơn đăng ký nhãn hiệu", 1),
            ("Đã được cấp văn bằng bảo hộ", 2),
        ]),
    ]),
    ("B", "Phát triển thương mại và câu chuyện sản phẩm", 25, [
        ("Thị trường tiêu thụ", [
            ("Trong huyện, xã", 1),
            ("Trong tỉnh", 2),
            ("Ngoài tỉnh", 3),
            ("Có xuất khẩu", 5),
        ]),
        ("Kênh phân phối, bán hàng (kể cả thương mại điện tử)", [
            ("Bán lẻ tại chỗ", 1),
            ("Có đại lý, điểm bán", 2),
            ("Có hệ thống phân phối và bán hàng trực tuyến", 4),
        ]),
        ("Quảng bá, xúc tiến thương mại", [
            ("Chưa có hoạt động", 0),
            ("Có tham gia hội chợ hoặc quảng bá trên mạng", 1),
            ("Có kế hoạch và hoạt động quảng bá thường xuyên", 3),
        ]),
        ("Truy xuất nguồn gốc", [
            ("Chưa có", 0),
            ("Có ghi chép theo lô", 2),
            ("Có mã truy xuất trên sản phẩm", 3),
        ]),
        ("Bao bì, nhãn hàng hóa", [
            ("Nhãn chưa đủ nội dung theo quy định", 0),
            ("Nhãn đúng quy định", 2),
            ("Nhãn đúng quy định, bao bì bảo quản tốt và thân thiện môi trường", 4),
        ]),
        ("Câu chuyện sản phẩm", [
            ("Chưa có", 0),
            ("Có câu chuyện, chưa gắn với bản sắc địa phương", 2),
            ("Có câu chuyện gắn với con người, văn hóa địa phương, in trên bao bì", 3),
        ]),
        ("Hình ảnh, thiết kế bao bì mang bản sắc địa phương", [
            ("Chưa thể hiện", 1),
            ("Có thể hiện một phần", 2),
            ("Thể hiện rõ, dễ nhận diện", 3),
        ]),
    ]),
    ("C", "Chất lượng sản phẩm", 35, [
        ("Tính đặc trưng, khác biệt của sản phẩm", [
            ("Tương tự sản phẩm cùng loại", 1),
            ("Có nét riêng", 3),
            ("Đặc trưng của vùng, khó thay thế", 5),
        ]),
        ("Chất lượng cảm quan (màu, mùi, vị, trạng thái)", [
            ("Đạt yêu cầu", 2),
            ("Khá", 4),
            ("Nổi bật, hài hòa", 6),
        ]),
        ("Tiêu chuẩn sản phẩm, tự công bố chất lượng", [
            ("Chưa có", 0),
            ("Có bản tự công bố", 2),
            ("Có tiêu chuẩn cơ sở và bản tự công bố đầy đủ", 4),
        ]),
        ("Phiếu kiểm nghiệm chỉ tiêu chất lượng, an toàn", [
            ("Chưa có hoặc quá hạn", 0),
            ("Có, đạt các chỉ tiêu an toàn", 3),
            ("Có, đạt đầy đủ chỉ tiêu chất lượng và an toàn", 5),
        ]),
        ("Chứng nhận an toàn thực phẩm, quản lý chất lượng", [
            ("Chưa có", 0),
            ("Có giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", 2),
            ("Có chứng nhận VietGAP hoặc tương đương", 4),
            ("Có chứng nhận HACCP, ISO 22000 hoặc tương đương", 6),
        ]),
        ("Hạn sử dụng và điều kiện bảo quản", [
            ("Dưới 3 tháng", 1),
            ("Từ 3 đến 12 tháng", 2),
            ("Trên 12 tháng, bảo quản thông thường", 3),
        ]),
        ("Tiềm năng thị trường, khả năng xuất khẩu", [
            ("Thị trường địa phương", 1),
            ("Thị trường trong nước", 3),
            ("Đáp ứng yêu cầu xuất khẩu", 6),
        ]),
    ]),
]

# code, name, has validity, mandatory, months of validity in the demo's uploads (0: none)
DOCUMENTS = [
    ("phieu-dang-ky", "Phiếu đăng ký sản phẩm tham gia Chương trình OCOP", False, True, 0),
    ("phuong-an-kinh-doanh",
     "Phương án, kế hoạch sản xuất kinh doanh (hoặc báo cáo sản xuất)", False, True, 0),
    ("dang-ky-kinh-doanh", "Giấy chứng nhận đăng ký kinh doanh, hợp tác xã", False, True, 0),
    ("an-toan-thuc-pham",
     "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (hoặc bản cam kết)", True, True, 30),
    ("cong-bo-chat-luong", "Bản tự công bố, tiêu chuẩn chất lượng sản phẩm", False, True, 0),
    ("phieu-kiem-nghiem", "Phiếu kết quả kiểm nghiệm sản phẩm", True, True, 10),
    ("nhan-san-pham", "Nhãn sản phẩm", False, True, 0),
    ("hinh-anh", "Hình ảnh sản phẩm", False, True, 0),
    ("cau-chuyen", "Câu chuyện sản phẩm", False, False, 0),
    ("so-huu-tri-tue", "Giấy tờ về nhãn hiệu, sở hữu trí tuệ", False, False, 0),
]

# product title, producer's user, target state, member qualities (0–1) of the cards,
# how many of them are submitted, the return reason
APPLICATIONS = [
    ("Cà phê hạt rang mộc Culi Đăk Hà 250 g", "producer_cafe", State.DRAFT, (), 0, ""),
    ("Chuối sấy dẻo Đăk Mar 250 g", "producer_dakmar", State.SUBMITTED, (), 0, ""),
    ("Hạt tiêu đen Đăk Mar 200 g", "producer_dakmar", State.RETURNED, (), 0,
     "Phiếu kiểm nghiệm đã quá 12 tháng; đề nghị bổ sung phiếu kiểm nghiệm mới và ảnh nhãn "
     "có ghi hạn sử dụng."),
    ("Cà phê nhân Robusta Đăk Hà 1 kg", "producer_dakmar", State.FORWARDED, (), 0, ""),
    ("Cà phê rang xay nguyên chất Đăk Hà 500 g", "producer_cafe", State.SCORING,
     (0.8, 0.6, 0.7), 2, ""),
    ("Cà phê phin giấy Robusta Honey hộp 10 gói", "producer_cafe", State.SCORED,
     (0.75, 0.5, 0.65), 3, ""),
]
OFFICE_USERNAME = "office"
OFFICER_USERNAME = "commune_dakmar"


def _pdf(text):
    """A small valid one-page PDF showing ``text`` (ASCII)."""
    stream = f"BT /F1 14 Tf 60 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref
    )
    return bytes(out)


def _photo():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (160, 120), (120, 72, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def _upload(kind):
    if kind.code in ("hinh-anh", "nhan-san-pham"):
        return SimpleUploadedFile(f"{kind.code}.jpg", _photo(), content_type="image/jpeg")
    return SimpleUploadedFile(
        f"{kind.code}.pdf", _pdf(f"OCOP Dak Ha - {kind.code} (demo)"),
        content_type="application/pdf",
    )


def _group():
    Category = get_model("catalogue", "Category")
    return Category.objects.filter(name=FOOD, depth=1).first()


def load_sheet(group):
    """The food group's scoring sheet (created once); returns (sheet, created)."""
    sheet = ScoringSheet.objects.filter(group=group, is_active=True).first()
    if sheet is not None:
        return sheet, False
    sheet = ScoringSheet.objects.create(
        group=group, title="Phiếu đánh giá, phân hạng sản phẩm nhóm Thực phẩm",
    )
    for code, title, max_points, criteria in SHEET:
        part = SheetPart.objects.create(sheet=sheet, code=code, title=title,
                                        max_points=max_points)
        for order, (text, options) in enumerate(criteria, start=1):
            criterion = Criterion.objects.create(part=part, order=order, text=text)
            CriterionOption.objects.bulk_create([
                CriterionOption(criterion=criterion, order=n, text=label, points=points)
                for n, (label, points) in enumerate(options, start=1)
            ])
    return sheet, True


def load_documents(group):
    created = 0
    for order, (code, name, has_validity, mandatory, _months) in enumerate(DOCUMENTS, start=1):
        kind, new = DocumentKind.objects.get_or_create(
            code=code, defaults={"name": name, "has_validity": has_validity, "order": order},
        )
        created += int(new)
        _row, new = RequiredDocument.objects.get_or_create(
            group=group, kind=kind, defaults={"mandatory": mandatory},
        )
        created += int(new)
    return created


def load_council(round_):
    """The council and its three members (users made with the demo password once)."""
    User = get_user_model()
    group = Group.objects.get_or_create(name=COUNCIL_MEMBER)[0]
    council, created = Council.objects.get_or_create(
        round=round_, defaults={"name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP năm 2026"},
    )
    created = int(created)
    for username, family, given, role, title in COUNCIL:
        user, new = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@{EMAIL_DOMAIN}", "first_name": family,
                "last_name": given, "password": make_password(PASSWORD),
            },
        )
        created += int(new)
        user.groups.add(group)
        _seat, new = CouncilMember.objects.get_or_create(
            council=council, user=user, defaults={"role": role, "title": title},
        )
        created += int(new)
    return council, created


def load_round(office):
    today = timezone.localdate()
    round_, created = EvaluationRound.objects.get_or_create(
        year=ROUND_YEAR, name=ROUND_NAME,
        defaults={
            "kind": EvaluationRound.Kind.NEW,
            "rating_level": certification.Level.PROVINCE,
            "certifying_body": "UBND tỉnh Quảng Ngãi",
            "central_body": "Bộ Nông nghiệp và Môi trường",
            "applications_until": today + datetime.timedelta(days=20),
            "commune_check_until": today + datetime.timedelta(days=35),
            "scoring_until": today + datetime.timedelta(days=50),
            "created_by": office,
        },
    )
    return round_, created


def _answers(sheet, quality):
    """One option per criterion, the one nearest to ``quality`` (0–1) of its range."""
    answers = {}
    for _part, criteria in scoring.sheet_structure(sheet):
        for criterion, options in criteria:
            ranked = sorted(options, key=lambda o: (o.points, o.pk))
            answers[criterion.pk] = ranked[round(quality * (len(ranked) - 1))].pk
    return answers


def _application(round_, group, sheet, row, users):
    title, username, target, qualities, submitted, reason = row
    Product = get_model("catalogue", "Product")
    producer = users.get(username)
    product = Product.objects.filter(title=title).select_related("producer").first()
    if producer is None or product is None or product.producer is None:
        return 0
    if Application.objects.filter(round=round_, product=product).exists():
        return 0
    office, officer = users.get(OFFICE_USERNAME), users.get(OFFICER_USERNAME)
    checker = officer if product.producer.commune_id == getattr(
        getattr(officer, "commune_officer", None), "commune_id", None
    ) else office
    application = Application.objects.create(
        round=round_, vendor=product.producer, product=product, group=group,
        created_by=producer,
        description=(
            f"Đăng ký đánh giá, phân hạng sản phẩm {title} trong Chương trình OCOP năm "
            f"{ROUND_YEAR}."
        ),
    )
    today = timezone.localdate()
    validity = {code: months for code, _n, _v, _m, months in DOCUMENTS}
    for kind in documents.required_kinds(group):
        valid = (
            certification.add_months(today, validity.get(kind.code) or 12)
            if kind.has_validity else None
        )
        documents.add_document(application, kind, _upload(kind), actor=producer,
                               valid_until=valid)
    if target == State.DRAFT:
        return 1
    workflow.transition(application, State.SUBMITTED, actor=producer)
    if target == State.SUBMITTED:
        return 1
    if target == State.RETURNED:
        workflow.transition(application, State.RETURNED, actor=checker, reason=reason)
        return 1
    workflow.transition(application, State.FORWARDED, actor=checker,
                        reason="Hồ sơ đủ thành phần theo quy định.")
    if target == State.FORWARDED:
        return 1
    workflow.transition(application, State.SCORING, actor=office)
    seats = list(CouncilMember.objects.filter(council__round=round_).select_related("user")
                 .order_by("role", "pk"))
    for seat, quality in zip(seats[:submitted], qualities, strict=False):
        card = scoring.scorecard_for(application, seat.user)
        scoring.submit_scorecard(card, actor=seat.user, answers=_answers(sheet, quality))
    if target == State.SCORED:
        scoring.close_scoring(application, actor=users["council_chair"])
    return 1


@transaction.atomic
def load_demo_evaluation(progress=None):
    """Load the evaluation demo (sheet, dossier list, the 2026 round half done); idempotent.

    Returns how many rows were new.
    """
    progress = progress or Progress()
    group = _group()
    if group is None:
        progress.step("OCOP evaluation (demo)", 0, 0, f"no group {FOOD}: skipped")
        return 0
    User = get_user_model()
    office = User.objects.filter(username=OFFICE_USERNAME).first()
    sheet, new_sheet = load_sheet(group)
    created = int(new_sheet) + load_documents(group)
    round_, new_round = load_round(office)
    council, new_members = load_council(round_)
    created += int(new_round) + new_members
    users = User.objects.in_bulk(
        [row[1] for row in APPLICATIONS] + [OFFICE_USERNAME, OFFICER_USERNAME, "council_chair"],
        field_name="username",
    )
    if office is not None and round_.is_open:
        for row in APPLICATIONS:
            created += _application(round_, group, sheet, row, users)
    total = Application.objects.filter(round=round_).count()
    states = ", ".join(
        f"{state} {Application.objects.filter(round=round_, state=state).count()}"
        for state in (State.DRAFT, State.SUBMITTED, State.RETURNED, State.FORWARDED,
                      State.SCORING, State.SCORED)
    )
    progress.step("OCOP evaluation round 2026 (demo)", total, created,
                  f"{states}; council_chair/council_member1/council_member2 password {PASSWORD}")
    return created
