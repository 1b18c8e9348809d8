"""Demo content of the publications plugin."""

from django.db import transaction

from publications.models import PolicyIndexPage, PolicyPage, PolicyStatus
from publications.policy_text import load_measures


def _child(parent, model, slug, **fields):
    """The live child of ``parent`` with this slug, created and published if missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    page = parent.add_child(instance=model(slug=slug, **fields))
    page.save_revision().publish()
    return page


@transaction.atomic
def seed_policy(home):
    section = _child(
        home,
        PolicyIndexPage,
        "policy",
        title="政策文件",
        show_in_menus=True,
        intro="“赣州工匠”培养选拔工作的政策依据。",
    )
    measures = load_measures()
    return _child(
        section,
        PolicyPage,
        "measures",
        title=measures.title,
        preamble=measures.preamble,
        status=PolicyStatus.DRAFT_FOR_COMMENT,
        issuing_body="赣州市人力资源和社会保障局",
        body=measures.stream_data(),
        search_description="赣州工匠的培养选拔范围和条件、程序、激励措施、管理培养和退出机制。",
    )


def seed_demo(home, stdout):
    # Imported here: demo_notices uses _child from this module.
    from publications.demo_notices import seed_notices

    seed_policy(home)
    stdout.write("信息发布：政策文件已就绪。")
    seed_notices(home)
    stdout.write("信息发布：通知公告已就绪。")
    from publications.demo_publicity import seed_publicity

    seed_publicity(home)
    stdout.write("信息发布：公示和异议已就绪。")
