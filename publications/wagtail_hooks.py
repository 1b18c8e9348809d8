from wagtail import hooks

from publications import demo


@hooks.register("seed_demo", order=10)
def seed_publications_demo(home, stdout):
    demo.seed_demo(home, stdout)
