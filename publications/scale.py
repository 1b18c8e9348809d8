"""Volume for performance work (``manage.py seed_scale``): notices, publicity lists, objections.

Per unit of ``factor``: 20 notices in the 通知公告 section (one of them a closed 公示 with
:data:`ENTRIES_PER_PUBLICITY` names) and 200 objections spread over those publicity lists.
Everything is fictitious and keyed deterministically (page slugs ``scale-…``, receipt numbers
``YYS…``), so running the command again with the same factor adds nothing, and a larger factor
adds only the difference.

Pages are appended under their parent with computed tree paths (:func:`append_children`)
instead of one ``add_child`` each: ``add_child`` re-reads the parent and its last child for
every page, which is what makes thousands of pages slow.
"""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends

from publications.models import (
    NoticeIndexPage,
    NoticePage,
    NoticeType,
    Objection,
    ObjectionStatus,
    PublicityEntry,
    PublicityNoticePage,
)
from publications.workdays import SHANGHAI

NOTICES_PER_FACTOR = 20
PUBLICITY_PER_FACTOR = 1  # of the 20 notices
OBJECTIONS_PER_FACTOR = 200
ENTRIES_PER_PUBLICITY = 20
BATCH = 500

SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱胡郭何罗钟曾谢赖邱肖温廖"
GIVEN = "建国 丽萍 志强 秀英 海涛 玉兰 文华 小军 春生 桂香 明辉 雪梅 永福 金凤 德胜".split()
TRADES = [
    ("钳工", "赣州稀金科技有限公司"),
    ("电工", "国网赣州供电公司"),
    ("焊工", "江西章源钨业有限公司"),
    ("数控车工", "赣州经开区精密机械厂"),
    ("脐橙种植技术员", "信丰县脐橙产业园"),
    ("家具设计师", "南康区家具产业协会"),
]
SUBJECTS = [
    ("notice", "关于做好{year}年度职业技能等级认定工作的通知"),
    ("announcement", "关于{year}年度技能人才培训补贴发放情况的公告"),
    ("notice", "关于举办{year}年赣州市职业技能大赛的通知"),
    ("announcement", "关于{year}年度高技能人才培训基地评估结果的公告"),
]


def person_name(number):
    return SURNAMES[number % len(SURNAMES)] + GIVEN[(number * 7) % len(GIVEN)]


def append_children(parent, pages):
    """Insert ``pages`` (unsaved, live, one class) as the last children of ``parent``, in order.

    What ``add_child`` and ``Page.save`` would do, for a whole batch at once: each page's
    materialised path, depth and URL path are computed here; the rows of every table of the
    page's class go in with one bulk insert each (Django refuses ``bulk_create`` for
    multi-table inheritance, so each level's own columns are inserted through the same
    ``_insert`` that ``Model.save`` uses); then the inline children (a publicity list's
    entries), the search index and the reference index (a profile's photo shows as used)
    are written in bulk, and the parent's ``numchild`` once.  No page signal is sent: the
    caller drops the page cache.  Caller holds the transaction.
    """
    if not pages:
        return []
    specific = type(pages[0])
    parent = Page.objects.select_for_update().get(pk=parent.pk)
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(specific)
    for page in pages:
        step += 1
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, step)
        page.numchild = 0
        page.locale_id = parent.locale_id
        page.content_type = content_type
        page.draft_title = page.title
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.has_unpublished_changes = False
        page.first_published_at = page.first_published_at or now
        page.last_published_at = page.last_published_at or page.first_published_at
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    bases = Page.objects.bulk_create(
        [Page(**{f.attname: getattr(page, f.attname) for f in base_fields}) for page in pages]
    )
    chain = [m for m in reversed(specific._meta.get_parent_list()) if m is not Page]
    for page, base in zip(pages, bases, strict=True):
        # Every level's key, not just ``pk``: setting ``pk`` fills the direct parent link
        # only, so a grandchild class (PublicityNoticePage → NoticePage → Page) would
        # leave NoticePage.page_ptr_id empty (SQLite quietly numbers such a row itself).
        for model in (Page, *chain, specific):
            setattr(page, model._meta.pk.attname, base.pk)
        page._state.adding = False
    for model in [*chain, specific]:
        model._base_manager._insert(pages, fields=model._meta.local_concrete_fields)
    for relation in specific._meta.related_objects:
        if isinstance(relation.field, ParentalKey):
            rows = []
            for page in pages:
                for child in getattr(page, relation.get_accessor_name()).all():
                    setattr(child, relation.field.attname, page.pk)
                    rows.append(child)
            relation.related_model.objects.bulk_create(rows)
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(specific, pages)
    references = []
    for page in pages:
        for (
            to_type,
            to_id,
            model_path,
            content_path,
        ) in ReferenceIndex._extract_references_from_object(page):
            references.append(
                ReferenceIndex(
                    content_type=content_type,
                    base_content_type=ContentType.objects.get_for_model(Page),
                    object_id=page.pk,
                    to_content_type_id=to_type,
                    to_object_id=to_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
            )
    ReferenceIndex.objects.bulk_create(references, ignore_conflicts=True)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(pages))
    return pages


def _notice_section(home):
    section = NoticeIndexPage.objects.child_of(home).filter(slug="notices").first()
    return section or NoticeIndexPage.objects.child_of(home).first()


def _publish_time(day):
    return datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=SHANGHAI)


def _build_notice(number):
    """The ``number``-th scale notice: a plain notice, or every 20th a closed publicity list."""
    rng = random.Random(number)
    day = datetime.date(2015, 1, 5) + datetime.timedelta(days=(number * 3) % 3650)
    common = {
        "slug": f"scale-{number:06d}",
        "publish_date": day,
        "first_published_at": _publish_time(day),
        "document_number": f"赣市人社字〔{day.year}〕{100 + number % 900}号",
        "live": True,
    }
    if number % NOTICES_PER_FACTOR == 0:
        page = PublicityNoticePage(
            title=f"{day.year}年度技能人才评选拟入选人员名单公示（第{number // 20 + 1}批）",
            notice_type=NoticeType.PUBLICITY,
            body="<p>经个人申报、单位推荐、专家评审，现将拟入选人员名单予以公示。</p>",
            start_date=day,
            working_days=5,
            objection_phone="0797-8888888",
            objection_address="江西省赣州市章贡区长征大道1号（341000）",
            **common,
        )
        page.entries = [
            PublicityEntry(
                sort_order=order,
                name=person_name(number * ENTRIES_PER_PUBLICITY + order),
                gender="男" if order % 3 else "女",
                occupation=TRADES[(number + order) % len(TRADES)][0],
                employer=TRADES[(number + order) % len(TRADES)][1],
                skill_level="二级/技师",
                recommending_unit="章贡区人社局",
            )
            for order in range(ENTRIES_PER_PUBLICITY)
        ]
        return page
    kind, subject = SUBJECTS[rng.randrange(len(SUBJECTS))]
    return NoticePage(
        title=subject.format(year=day.year) + f"（{number}）",
        notice_type=kind,
        body=(
            f"<p>各县（市、区）人力资源和社会保障局：</p><p>现就{day.year}年度有关工作通知如下，"
            "请认真组织实施。</p>"
        ),
        **common,
    )


def seed_notices(home, factor, progress):
    """Up to ``20 * factor`` scale notices in the notice section; returns how many were added."""
    section = _notice_section(home)
    if section is None:
        return 0
    total = NOTICES_PER_FACTOR * factor
    existing = set(
        Page.objects.child_of(section)
        .filter(slug__startswith="scale-")
        .values_list("slug", flat=True)
    )
    missing = [n for n in range(total) if f"scale-{n:06d}" not in existing]
    done = total - len(missing)
    progress("通知公告", done, total)
    for start in range(0, len(missing), BATCH):
        with transaction.atomic():
            pages = [_build_notice(n) for n in missing[start : start + BATCH]]
            # One bulk insert per page class; the tree order among them does not matter.
            for page_class in (NoticePage, PublicityNoticePage):
                append_children(section, [p for p in pages if type(p) is page_class])
        done += len(pages)
        progress("通知公告", done, total)
    return len(missing)


def seed_objections(home, factor, progress):
    """Up to ``200 * factor`` objections on the scale publicity lists (closed, resolved)."""
    total = OBJECTIONS_PER_FACTOR * factor
    notices = list(
        PublicityNoticePage.objects.filter(slug__startswith="scale-")
        .order_by("slug")
        .prefetch_related("entries")
    )
    if not notices:
        return 0
    existing = set(
        Objection.objects.filter(receipt_number__startswith="YYS").values_list(
            "receipt_number", flat=True
        )
    )
    per_notice = OBJECTIONS_PER_FACTOR // PUBLICITY_PER_FACTOR
    statuses = [ObjectionStatus.REJECTED] * 6 + [ObjectionStatus.UPHELD, ObjectionStatus.CHECKING]
    rows = []
    added = 0
    done = len(existing)
    progress("异议", min(done, total), total)
    for number in range(total):
        receipt = f"YYS{number:08d}"
        if receipt in existing:
            continue
        notice = notices[(number // per_notice) % len(notices)]
        entries = list(notice.entries.all())
        rng = random.Random(number)
        entry = entries[rng.randrange(len(entries))] if number % 10 else None
        status = statuses[rng.randrange(len(statuses))]
        received = _publish_time(notice.start_date) + datetime.timedelta(hours=1 + number % 90)
        rows.append(
            Objection(
                notice=notice,
                entry=entry,
                entry_name=entry.name if entry else "",
                objector_type="person",
                real_name=person_name(number + 7),
                phone=f"1390797{number % 10000:04d}",
                content="反映该同志申报材料中的业绩情况与实际不符，请予核查。",
                status=status,
                verification_notes="经核查，"
                + ("情况属实。" if status == "upheld" else "反映情况不属实。")
                if status != ObjectionStatus.CHECKING
                else "",
                reply="已核查并答复异议人。" if status != ObjectionStatus.CHECKING else "",
                receipt_number=receipt,
                created_at=received,
                handled_at=received + datetime.timedelta(days=2)
                if status != ObjectionStatus.CHECKING
                else None,
            )
        )
        if len(rows) >= BATCH * 4:
            Objection.objects.bulk_create(rows)
            added += len(rows)
            done += len(rows)
            rows = []
            progress("异议", done, total)
    if rows:
        Objection.objects.bulk_create(rows)
        added += len(rows)
        done += len(rows)
    progress("异议", done, total)
    return added


def seed_scale(home, factor, progress):
    seed_notices(home, factor, progress)
    seed_objections(home, factor, progress)
