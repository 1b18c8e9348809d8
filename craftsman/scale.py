"""Volume for performance work (``manage.py seed_scale``): ten past rounds of applications.

Per unit of ``factor``: 500 submissions spread over the rounds 2014–2023 (50 each), of
which 50 (every tenth) became 赣州工匠 with a certificate, a reward and a published profile
page with a photo.  Everything is fictitious.  Keys are deterministic (receipt numbers
``GZGJ<year>S<n>``, certificate numbers, profile slugs ``scale-<year>-<n>``), so running the
command twice with the same factor adds nothing; a larger factor adds the difference.

Rows go in with ``bulk_create`` in batches; profile pages through
:func:`publications.scale.append_children`.  Each photo is its own Wagtail image with its
own small JPEG file (a handful of generated pictures, copied): deleting one image, which
deletes its file, must never break another profile.
"""

import datetime
import io
import random
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.search.backends import get_search_backends

from craftsman.conferral import (
    CULTIVATION_YEARS,
    REWARD_AMOUNT,
    add_years,
    certificate_number,
    craftsman_index,
)
from craftsman.models import (
    Craftsman,
    CraftsmanProfilePage,
    Industry,
    RecommendingUnit,
    Reward,
    SelectionRound,
    Status,
    Submission,
)
from craftsman.storage import private_storage
from craftsman.validators import make_resident_id
from publications.scale import append_children

TZ = ZoneInfo("Asia/Shanghai")
YEARS = range(2014, 2024)  # ten concluded rounds before the demo's 2024
SUBMISSIONS_PER_ROUND_PER_FACTOR = 50
CONFERRED_EVERY = 10  # one in ten submissions became a 赣州工匠 (50 per factor)
BATCH = 1000
PHOTO_VARIANTS = 8

SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱胡郭何罗钟曾谢赖邱肖温廖"
GIVEN = (
    "建国 丽萍 志强 海燕 明华 秀英 国平 小军 春生 桂兰 伟东 红梅 德胜 玉珍 永清 晓峰 "
    "金凤 光辉 淑芬 文斌 宏伟 美玲 家兴 少华 冬梅"
).split()
TRADES = [
    ("稀土冶炼工", "赣州稀金科技有限公司", "有色金属（稀土、钨）新材料"),
    ("钨钼制品烧结工", "崇义章源钨业股份有限公司", "有色金属（稀土、钨）新材料"),
    ("电子设备装接工", "赣州市创新电子有限公司", "电子信息"),
    ("电池制造工", "赣州锂能新能源有限公司", "新能源及新能源汽车"),
    ("家具制作工（木工）", "南康区匠心家具有限公司", "现代家居"),
    ("缝纫工", "于都县红都服装有限公司", "纺织服装"),
    ("中药炮制工", "赣州本草制药有限公司", "医药食品"),
    ("果树园艺工", "信丰县脐橙专业合作社", "赣南脐橙等特色农业"),
    ("客家菜烹调师", "瑞金市红都客家酒楼", "文化旅游"),
    ("砌筑工", "赣州建工集团有限公司", "建筑建材"),
    ("电工", "国网赣州供电公司", "其他行业"),
]
# Placeholder certificate of scale data (the demo's attachments use the same stand-in).
PLACEHOLDER_PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def receipt(year, number):
    return f"GZGJ{year}S{number:05d}"


def _round(year):
    selection_round, _ = SelectionRound.objects.get_or_create(
        year=year,
        defaults={
            "title": f"{year}年度“赣州工匠”培养选拔",
            "opens_at": datetime.datetime(year, 8, 1, 8, 0, tzinfo=TZ),
            "closes_at": datetime.datetime(year, 9, 15, 17, 30, tzinfo=TZ),
            "recommendation_deadline": datetime.datetime(year, 9, 30, 17, 30, tzinfo=TZ),
            "quota": 15,
            "status": SelectionRound.Status.CLOSED,
        },
    )
    return selection_round


def _build_submission(selection_round, number, units, industries):
    """The ``number``-th scale submission of a round: deterministic, valid, paper-entered."""
    year = selection_round.year
    rng = random.Random(year * 1_000_000 + number)
    unit = units[number % len(units)]
    occupation, employer, industry_name = TRADES[rng.randrange(len(TRADES))]
    name = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))]
    birth = datetime.date(1962, 1, 1) + datetime.timedelta(days=number % 9000)
    sequence = 100 + 2 * (number // 9000) + rng.randrange(2)  # odd = male
    area = unit.code or "360702"
    conferred = number % CONFERRED_EVERY == 0
    submitted = selection_round.opens_at + datetime.timedelta(hours=1 + number % 1000)
    return Submission(
        round=selection_round,
        status=Status.CONFERRED if conferred else Status.NOT_SELECTED,
        receipt_number=receipt(year, number),
        recommending_unit=unit,
        name=name,
        gender="M" if sequence % 2 else "F",
        id_number=make_resident_id(area, birth, sequence),
        birth_date=birth,
        mobile=f"13{rng.randrange(10)}{rng.randrange(100_000_000):08d}",
        education=["senior", "college", "bachelor", "junior"][number % 4],
        employer=employer,
        work_area=area,
        work_address=f"{unit.area or '章贡区'}{employer}",
        industry=industries.get(industry_name),
        occupation=occupation,
        years_in_trade=8 + number % 25,
        certificate_type="skill_level",
        skill_level=[4, 5, 6, 3][number % 4],
        certificate_number=f"S{year - 3}36070{number:05d}",
        certificate_issuer="赣州市职业技能鉴定中心",
        certificate_date=datetime.date(year - 3, 6, 1),
        condition_1=f"从事{occupation}工作{8 + number % 25}年，掌握关键工序的操作要领。",
        apprentices_count=number % 9,
        achievements=(
            f"{name}同志长期扎根生产一线，在{employer}从事{occupation}工作，"
            "改进操作方法，使产品合格率明显提高。"
        ),
        declarations_confirmed_at=submitted,
        integrity_pledge_at=submitted,
        publication_consent_at=submitted,
        verified_skills=True,
        verified_achievements=True,
        verified_authenticity=True,
        eligibility=Submission.Eligibility.PASSED,
        submitted_at=submitted,
        decided_at=submitted + datetime.timedelta(days=10),
    )


def seed_submissions(factor, progress):
    per_round = SUBMISSIONS_PER_ROUND_PER_FACTOR * factor
    total = per_round * len(YEARS)
    units = list(RecommendingUnit.objects.filter(active=True).order_by("sort_order", "pk"))
    industries = {industry.name: industry for industry in Industry.objects.all()}
    if not units:
        return 0
    existing = set(
        Submission.objects.filter(receipt_number__regex=r"^GZGJ20[0-9]{2}S").values_list(
            "receipt_number", flat=True
        )
    )
    done = len(existing)
    progress("申报", min(done, total), total)
    added = 0
    for year in YEARS:
        selection_round = _round(year)
        missing = [n for n in range(per_round) if receipt(year, n) not in existing]
        for start in range(0, len(missing), BATCH):
            rows = [
                _build_submission(selection_round, n, units, industries)
                for n in missing[start : start + BATCH]
            ]
            Submission.objects.bulk_create(rows)
            added += len(rows)
            done += len(rows)
            progress("申报", min(done, total), total)
    return added


def _photo_variants():
    """A few small portrait JPEGs (plain colour fields), as bytes with their size."""
    variants = []
    for k in range(PHOTO_VARIANTS):
        out = io.BytesIO()
        colour = (150 + 12 * k, 170 + 7 * k, 200 - 9 * k)
        PILImage.new("RGB", (240, 320), colour).save(out, format="JPEG", quality=70)
        variants.append(out.getvalue())
    return variants


def seed_craftsmen(factor, progress):
    """Every conferred scale submission without a title holder gets one, with a profile."""
    ImageModel = get_image_model()
    pending = list(
        Submission.objects.filter(
            receipt_number__regex=r"^GZGJ20[0-9]{2}S",
            status=Status.CONFERRED,
            craftsman__isnull=True,
        )
        .select_related("round")
        .order_by("round__year", "receipt_number")
    )
    total = SUBMISSIONS_PER_ROUND_PER_FACTOR * factor // CONFERRED_EVERY * len(YEARS)
    done = total - len(pending)
    progress("工匠风采", max(done, 0), total)
    if not pending:
        return 0
    index = craftsman_index()
    photos = _photo_variants()
    for start in range(0, len(pending), BATCH // 2):
        batch = pending[start : start + BATCH // 2]
        with transaction.atomic():
            images = []
            for submission in batch:
                number = int(submission.receipt_number[-5:])
                year = submission.round.year
                data = photos[number % len(photos)]
                image = ImageModel(title=f"{submission.name}（{year}年度赣州工匠）")
                image.file.save(f"scale-{year}-{number:05d}.jpg", ContentFile(data), save=False)
                # Set after the file: assigning it resets the dimension fields.
                image.width, image.height, image.file_size = 240, 320, len(data)
                images.append(image)
            ImageModel.objects.bulk_create(images)
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(ImageModel, images)
            pages = [
                CraftsmanProfilePage(
                    title=submission.name,
                    slug=f"scale-{submission.round.year}-{submission.receipt_number[-5:]}",
                    live=True,
                    photo=image,
                    title_year=submission.round.year,
                    employer=submission.employer,
                    occupation=submission.occupation,
                    speciality=submission.condition_1[:200],
                    achievements=submission.achievements,
                    first_published_at=datetime.datetime(
                        submission.round.year, 12, 16, 10, 0, tzinfo=TZ
                    ),
                )
                for submission, image in zip(batch, images, strict=True)
            ]
            append_children(index, pages)
            craftsmen = []
            for submission, page in zip(batch, pages, strict=True):
                year = submission.round.year
                sequence = int(submission.receipt_number[-5:]) // CONFERRED_EVERY + 1
                conferred_on = datetime.date(year, 12, 16)
                number = certificate_number(year, sequence)
                file_name = private_storage.save(
                    f"craftsman/certificates/{number}.pdf", ContentFile(PLACEHOLDER_PDF)
                )
                craftsmen.append(
                    Craftsman(
                        submission=submission,
                        round=submission.round,
                        title_year=year,
                        sequence=sequence,
                        certificate_number=number,
                        conferred_on=conferred_on,
                        cultivation_ends_on=add_years(conferred_on, CULTIVATION_YEARS),
                        status=Craftsman.Status.COMPLETED
                        if add_years(conferred_on, CULTIVATION_YEARS) < datetime.date.today()
                        else Craftsman.Status.ACTIVE,
                        certificate_file=file_name,
                        profile_page=page,
                    )
                )
            Craftsman.objects.bulk_create(craftsmen)
            Reward.objects.bulk_create(
                Reward(
                    craftsman=craftsman,
                    amount=REWARD_AMOUNT,
                    status=Reward.PaymentStatus.PAID,
                    paid_on=craftsman.conferred_on + datetime.timedelta(days=35),
                    voucher_number=f"GZCZ-{craftsman.certificate_number}",
                )
                for craftsman in craftsmen
            )
        done += len(batch)
        progress("工匠风采", done, total)
    return len(pending)


def seed_scale(home, factor, progress):
    seed_submissions(factor, progress)
    seed_craftsmen(factor, progress)
