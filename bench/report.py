"""bench/report.md from the report dictionary of bench/run.py (Simplified Chinese)."""

NAMES = {
    "home": "首页",
    "policy": "政策文件",
    "notice_index": "通知公告列表",
    "notice": "通知公告",
    "open_call": "申报通知",
    "publicity_list": "公示名单",
    "result": "结果公布",
    "directory": "工匠风采（名录）",
    "profile": "工匠个人页",
    "search": "站内搜索",
    "floor": "基准：仅标题的 Wagtail 页面",
    "floor_in_site": "参考：同一页面套用网站外框",
    "admin_submission_list": "后台：申报列表",
    "admin_submission_inspect": "后台：申报详情",
    "admin_ranking": "后台：评审排名",
    "admin_cultivation_overview": "后台：培养情况总览",
    "static": "基准：静态文件（进程内存）",
}


def _scale_label(scale, factor):
    return "演示数据" if scale == "demo" else f"factor {factor}"


def _yes(met):
    return "✅ 达到" if met else "❌ 未达到"


def _timings(rows, floor):
    lines = [
        "| 页面 | 网址 | 状态 | 中位数 ms | P90 ms | 查询数 | 与基准页之比 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in rows.items():
        if row is None:
            lines.append(f"| {NAMES.get(name, name)} | — | 无此类页面 | | | | |")
            continue
        ratio = f"{row['median_ms'] / floor:.2f}×" if not name.startswith("admin") else "—"
        lines.append(
            f"| {NAMES.get(name, name)} | `{row['url']}` | {row['status']} | {row['median_ms']} "
            f"| {row['p90_ms']} | {row['queries']} | {ratio} |"
        )
    return lines


def markdown(report, sections):
    m, options, evaluation = report["machine"], report["options"], report["evaluation"]
    load = report["load"]
    out = [
        "# 性能报告（make bench）",
        "",
        f"生成时间（UTC）：{report['date']}；总耗时 {report['seconds']} 秒。"
        "由 `make bench`（bench/run.py）生成，本文件是最近一次完整运行的结果。",
        "",
        sections[0],
        "",
        f"- CPU：{m['cpu']}，{m['cores']} 核；内存 {m['memory_gb']} GB；"
        f"开始时负载 {m['load_average']}",
        f"- 系统：{m['os']}",
        f"- Python {m['python']}，Django {m['django']}，Wagtail {m['wagtail']}，"
        f"{m['gunicorn']}，{m['wrk']}",
        f"- gunicorn：{options['workers']} 个 gthread 进程 × {options['threads']} 线程，"
        "只监听 127.0.0.1；wrk 2 线程，与服务器同机（共用 2 核）。",
        "- 数据库：SQLite（bench/var），DEBUG=0；缓存："
        + ("Redis（REDIS_URL）" if m.get("redis") else "本机文件缓存（多进程共享）")
        + "。",
        "",
        sections[1],
        "",
        "| 目标 | 实测 | 结果 |",
        "|---|---|---|",
    ]
    u = evaluation["uncached_vs_floor"]
    scale_label = _scale_label(u["worst_scale"], u["factor"])
    out.append(
        f"| 未缓存公开页面耗时 ≤ 1.5 × 基准页（两种规模） | 最慢：{NAMES[u['worst']]} "
        f"{u['ratios'][u['worst_scale']][u['worst']]}×（{scale_label}） | {_yes(u['met'])} |"
    )
    c = evaluation["cached_vs_static"]
    out.append(
        "| 缓存页面吞吐 ≥ 0.5 × 静态文件（16 连接） | "
        + "，".join(f"{NAMES[k]} {v}×" for k, v in c["ratios"].items())
        + f" | {_yes(c['met'])} |"
    )
    s = evaluation["search"]
    scale_note = "" if s["measured_at_target_scale"] else f"（仅在 factor {s['factor']} 测得）"
    out.append(
        f"| 搜索 < 50 ms（factor 100） | {s['median_ms']} ms{scale_note} | {_yes(s['met'])} |"
    )
    r = evaluation["long_run"]
    out.append(
        "| 公示名单 256 连接 30 秒：0 错误，P99 < 500 ms（按部署配置：匿名读者走页面缓存） | "
        f"缓存：{r['cached']['seconds']} 秒，P99 {r['cached']['p99_ms']} ms，"
        f"错误 {r['cached']['errors']}（未缓存：P99 {r['uncached']['p99_ms']} ms，"
        f"错误 {r['uncached']['errors']}） | 缓存开启 {_yes(r['met'])}；"
        f"缓存关闭 {_yes(r.get('uncached_met', r['met']))} |"
    )
    floor = report["demo"]["floor"]["median_ms"]
    out += [
        "",
        sections[2],
        "",
        "页面缓存关闭（PAGE_CACHE_SECONDS=0），Django 测试客户端，"
        f"每页 {options['requests']} 次取中位数，查询数为预热后的单次请求（第一次请求会生成缺少的图片缩略图，不计）。",
        "",
    ]
    out += _timings(report["demo"], floor)
    out += ["", sections[3], ""]
    scale = report["scale"]
    if report.get("scaled"):
        out.append(
            f"`manage.py seed_scale --factor {scale['factor']}`（耗时 {scale['seconds']} 秒）之后："
        )
        out.append("")
        out += _timings(report["scaled"], report["scaled"]["floor"]["median_ms"])
    else:
        out.append(f"未测量：{scale.get('reason', '')}。")
    out += [
        "",
        sections[4],
        "",
        "| 页面 | 缓存 | 连接 | 秒 | 请求/秒 | P50 ms | P90 ms | P99 ms | 错误 | 与参考之比 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, run in load.items():
        parts = key.split(":")
        if len(parts) == 3:
            mode, name = parts[0], parts[1]
            reference = (
                load[f"floor:{run['connections']}"]
                if mode == "uncached"
                else load[f"static:{run['connections']}"]
            )
            ratio = f"{run['rps'] / reference['rps']:.2f}× {'基准页' if mode == 'uncached' else '静态文件'}"
            mode = "未缓存" if mode == "uncached" else "缓存"
        else:
            name, mode, ratio = parts[0], "—", "参考"
        out.append(
            f"| {NAMES.get(name, name)} | {mode} | {run['connections']} | {run['seconds']} "
            f"| {run['rps']} | {run['p50_ms']} | {run['p90_ms']} | {run['p99_ms']} "
            f"| {run['errors']} | {ratio} |"
        )
    out += ["", "缓存响应头（预热时所见 `X-Page-Cache`）："]
    for key, seen in report["cache_headers"].items():
        out.append(f"- {key}：{', '.join(v or '（无）' for v in seen)}")
    out += [
        "",
        "参考点：",
        "- 基准页（下限）：bench/benchapp 中只有标题的 Wagtail 页面类型，仅在 `BENCH=1` 时安装，"
        "自带迁移；与真实页面经过同样的中间件、站点查找和 Wagtail `serve`，模板只输出标题。"
        "Wagtail 的基础 `Page` 没有模板，不能直接渲染，所以用这个最小页面类型代替，而不给产品加模型。",
        "- 静态文件（上限）：16 连接测两次取较高者；同一个 gunicorn，由 bench/static_app.py 在进入 Django 之前从内存返回 "
        "site.css。项目不依赖 whitenoise，DEBUG=0 时 Django 也不提供静态文件，这是同一服务器上"
        "能达到的最高吞吐。",
        "",
        sections[5],
        "",
    ]
    for note in report["notes"]:
        out.append(f"- {note}")
    out += conclusions(report)
    return "\n".join(out) + "\n"


def conclusions(report):
    evaluation = report["evaluation"]
    lines = []
    u = evaluation["uncached_vs_floor"]
    if not u["met"]:
        for scale, ratios in u["ratios"].items():
            slow = [f"{NAMES[k]} {v}×" for k, v in ratios.items() if v > 1.5]
            if slow:
                lines.append(
                    f"- 未缓存页面未达目标（{_scale_label(scale, u['factor'])}）："
                    + "，".join(slow)
                    + "。"
                )
        chrome = u.get("chrome") or {}
        if chrome:
            shown = "，".join(
                f"{_scale_label(scale, u['factor'])} {ratio}×" for scale, ratio in chrome.items()
            )
            lines.append(
                f"- 原因之一是站点外框：同一个仅标题的页面套用网站外框（页头、导航、搜索框、面包屑、"
                f"页脚、联系方式）后已是基准页的 {shown}，每个公开页面都带着它；基准页只有站点查找、"
                "路由和一行标题。其余是各页自身的内容：首页的当前轮次、最新通知和推荐工匠，"
                "名录对全部工匠的分面计数（随工匠人数增长），搜索的全文查询。"
                "这些开销在生产中由页面缓存吸收（见下方缓存命中的吞吐），未缓存的渲染本身"
                "没有达到 1.5× 的目标。"
            )
    c = evaluation["cached_vs_static"]
    for name, ratio in c["ratios"].items():
        if ratio >= 0.5:
            continue
        seen = report["cache_headers"].get(f"cached:{name}", [])
        if not any(value.startswith("hit") for value in seen):
            lines.append(
                f"- {NAMES[name]}在缓存开启时从未命中（预热所见 X-Page-Cache：{', '.join(seen) or '无'}），"
                f"吞吐只有静态文件的 {ratio}×：该页面的响应没有被页面缓存保存"
                "（例如响应设置了 Cookie 或页面含表单的 CSRF 令牌），需由页面缓存一方处理。"
            )
        else:
            lines.append(
                f"- {NAMES[name]}缓存命中后吞吐为静态文件的 {ratio}×，未达 0.5×：命中在 Django "
                "之前由 website.wsgi 的 PageCacheApplication 应答，但仍要解析请求、读一次共享"
                "缓存中的代号（文件缓存或 Redis），静态参考则直接返回内存中的字节；wrk 与服务器"
                "共用 2 核也压低了上限。"
            )
    s = evaluation["search"]
    if not s["measured_at_target_scale"]:
        lines.append("- 搜索目标须在 factor 100 下判断，本次未在该规模测量，因此记为未达到。")
    elif not s["met"]:
        lines.append("- 搜索在 factor 100 下超过 50 ms：数据库搜索后端需扫描大量页面。")
    r = evaluation["long_run"]
    if not r["met"]:
        lines.append(
            f"- 256 连接长测未达目标（缓存：P99 {r['cached']['p99_ms']} ms，"
            f"错误 {r['cached']['errors']}，{r['cached']['seconds']} 秒）。"
        )
    if not r.get("uncached_met", r["met"]):
        rps = r["uncached"]["rps"]
        lines.append(
            f"- 关闭页面缓存时，公示名单 256 连接的 P99 为 {r['uncached']['p99_ms']} ms"
            f"（错误 {r['uncached']['errors']}）：2 核机器每秒只能渲染约 {rps} 次该页面，"
            f"256 个连接排队，每个请求平均要等约 {round(256 / rps, 1) if rps else '—'} 秒"
            "（连接数 ÷ 吞吐）。部署时页面缓存默认开启，公示当天的匿名读者由缓存应答；"
            "这一行说明缓存为何必不可少。"
        )
    machine = report["machine"]
    if machine["load_average"][0] > (machine["cores"] or 1):
        lines.append(
            f"- 运行开始时系统负载 {machine['load_average'][0]}，高于 {machine['cores']} 核："
            "同机的其他进程占用了 CPU，绝对数值（尤其并发测试）偏低、波动大；"
            "同一轮中与参考点的比例更有参考价值。应在空闲机器上重跑 `make bench`。"
        )
    if not lines:
        lines.append("- 全部目标达到。")
    return lines


def main(argv):
    """``python bench/report.py report.json report.md``: render the Markdown again."""
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.run import SECTIONS

    report = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    Path(argv[2]).write_text(markdown(report, SECTIONS), encoding="utf-8")


if __name__ == "__main__":
    import sys

    main(sys.argv)
