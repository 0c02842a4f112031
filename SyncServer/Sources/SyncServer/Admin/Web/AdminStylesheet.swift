/// The admin page's stylesheet, served at `/admin/static/admin.css` (the Content-Security-Policy
/// allows styles from this server only, so there is no inline CSS).
enum AdminStylesheet {
    static let css = """
        :root {
          --ink: #1d2433; --muted: #667085; --line: #e4e7ec; --bg: #f6f7f9; --card: #fff;
          --accent: #2453d6; --accent-ink: #fff; --ok: #18794e; --warn: #b54708; --bad: #b42318;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC", "Hiragino Sans GB",
            "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
          font-size: 15px; color: var(--ink); background: var(--bg);
        }
        * { box-sizing: border-box; }
        body { margin: 0; }
        a { color: var(--accent); text-decoration: none; }
        a:hover { text-decoration: underline; }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 0.88em; background: #eef1f6; padding: 1px 4px; border-radius: 4px; }
        header.top { display: flex; align-items: center; justify-content: space-between; padding: 10px 28px; background: #111827; color: #e5e7eb; }
        header.top .brand { color: #fff; font-weight: 700; font-size: 17px; }
        header.top .brand span { font-weight: 400; color: #9ca3af; }
        header.top nav { display: flex; gap: 18px; align-items: center; }
        header.top nav a { color: #e5e7eb; }
        header.top .who { color: #9ca3af; }
        main { max-width: 1280px; margin: 0 auto; padding: 22px 28px 60px; }
        h1 { font-size: 22px; margin: 0; }
        h2 { font-size: 16px; margin: 26px 0 10px; color: #344054; }
        .heading { display: flex; align-items: center; gap: 14px; justify-content: space-between; margin-bottom: 12px; }
        .muted { color: var(--muted); }
        .small { font-size: 12px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; }
        .narrow { max-width: 520px; margin: 40px auto; }
        .narrow form { display: grid; gap: 10px; }
        input[type=text], input[type=search], input[type=password], select { font: inherit; padding: 6px 9px; border: 1px solid #cfd4dc; border-radius: 6px; background: #fff; }
        button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid #cfd4dc; background: #fff; cursor: pointer; }
        button:hover { background: #f2f4f7; }
        button.primary { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); }
        button.primary:hover { background: #1c44b3; }
        button.danger { color: var(--bad); border-color: #f4b5ae; }
        button.link { border: none; background: none; color: #e5e7eb; padding: 0; }
        form.inline { display: inline; }
        .flash { background: #ecfdf3; border: 1px solid #abefc6; color: var(--ok); padding: 9px 14px; border-radius: 8px; }
        .error { background: #fef3f2; border: 1px solid #fecdca; color: var(--bad); padding: 9px 14px; border-radius: 8px; }
        .tabs { display: flex; gap: 6px; border-bottom: 1px solid var(--line); margin-bottom: 14px; }
        .tab { padding: 8px 14px; color: #475467; border-bottom: 2px solid transparent; }
        .tab.selected { color: var(--ink); border-bottom-color: var(--accent); font-weight: 600; }
        .tab .count { background: #eef1f6; border-radius: 10px; padding: 0 7px; font-size: 12px; }
        .filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
        .filters label { display: grid; gap: 3px; font-size: 12px; color: var(--muted); }
        .filters .reset { align-self: center; }
        .chips { margin: 12px 0; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; color: var(--muted); }
        .chips .spacer { width: 14px; }
        .chip { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 2px 10px; color: var(--ink); font-size: 13px; }
        table { border-collapse: collapse; width: 100%; background: var(--card); border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
        th, td { text-align: left; padding: 9px 11px; border-bottom: 1px solid var(--line); vertical-align: top; }
        thead th { background: #f9fafb; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
        table.list tbody tr:hover { background: #f9fafb; }
        .values .value { display: inline-block; margin: 0 4px 3px 0; padding: 1px 7px; border-radius: 5px; background: #f2f4f7; }
        .values .value.winner { background: #e0eaff; font-weight: 600; }
        .values .value.rejected { color: #777; text-decoration: line-through; }
        .badge { display: inline-block; padding: 2px 8px; border-radius: 5px; font-size: 12px; background: #eef1f6; color: #344054; white-space: nowrap; }
        .badge.kind-concurrent_values { background: #fef0c7; color: #93370d; }
        .badge.kind-delete_vs_edit { background: #fee4e2; color: #912018; }
        .badge.kind-orphan_reference { background: #ebe9fe; color: #4a1fb8; }
        .badge.kind-probable_duplicate { background: #d1e9ff; color: #175cd3; }
        .badge.shown { background: #e0eaff; color: #2453d6; margin-right: 6px; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; margin: 12px 0; }
        .tile { color: var(--ink); } .tile strong { display: block; font-size: 28px; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px; margin-bottom: 12px; }
        .charts img { max-width: 100%; height: auto; }
        pre { overflow-x: auto; font-size: 13px; }
        .code code { font-size: 20px; letter-spacing: .05em; }
        table.merge tr.same { color: #999; }
        table.merge tr.differs { background: #fff8e0; }
        table.merge th { text-align: left; font-weight: 600; }
        .badge.kept { background: #dcf5e3; color: #17693a; margin-right: 6px; }
        .badge.rejected { background: #f3f3f3; color: #777; margin-right: 6px; }
        .status { display: inline-block; padding: 2px 9px; border-radius: 10px; font-size: 12px; font-weight: 600; }
        .status.open { background: #fef0c7; color: #93370d; }
        .status.resolved_by_edit, .status.resolved_by_admin { background: #dcfae6; color: #085d3a; }
        .status.dismissed { background: #f2f4f7; color: #475467; }
        .crumbs { margin: 0 0 8px; color: var(--muted); }
        .reason { margin: 0 0 14px; color: #344054; }
        dl.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 8px 22px; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; margin: 0; }
        dl.facts dt, .competitor dt { font-size: 12px; color: var(--muted); }
        dl.facts dd, .competitor dd { margin: 0; }
        .competitors { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 14px; }
        .competitor { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; display: flex; flex-direction: column; gap: 8px; }
        .competitor.winner { border-color: #9bb5f5; box-shadow: 0 0 0 2px #e0eaff; }
        .competitor.rejected .competing-value { color: #777; text-decoration: line-through; }
        .competitor .competing-value { font-size: 19px; font-weight: 600; margin: 2px 0; word-break: break-word; }
        .competitor dl { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 12px; margin: 0; }
        .competitor form { margin-top: auto; }
        .actions { margin-top: 20px; }
        .actions h2 { margin-top: 0; }
        .action-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 16px; }
        .action-grid form { display: grid; gap: 7px; align-content: start; }
        .action-grid label { font-size: 13px; color: #344054; }
        .action-grid button { justify-self: start; }
        table.compare tr.changed td { background: #fffaeb; }
        table.compare tr.conflicted th { color: #93370d; }
        table.compare tbody th { width: 18%; color: #475467; font-weight: 500; }
        ul.diff { list-style: none; margin: 6px 0 0; padding: 0; }
        ul.diff .old { color: var(--muted); text-decoration: line-through; }
        ul.diff .new { color: var(--ink); font-weight: 600; }
        tr.conflicted td:first-child { border-left: 3px solid #fdb022; }
        .pager { display: flex; gap: 16px; }
        .empty { background: var(--card); border: 1px dashed var(--line); padding: 30px; text-align: center; color: var(--muted); border-radius: 10px; }
        @media (max-width: 700px) {
          header.top { flex-wrap: wrap; gap: 6px; padding: 10px 14px; }
          main { padding: 14px 12px 40px; }
          .heading { flex-wrap: wrap; }
          .tabs { overflow-x: auto; }
          .filters label, .filters select, .filters input { width: 100%; }
          table.list, table.list tbody, table.list tr, table.list td { display: block; width: 100%; }
          table.list thead { display: none; }
          table.list tr { border-bottom: 1px solid var(--line); padding: 6px 0; }
          table.list td { border: none; padding: 3px 12px; }
          .competitors { grid-template-columns: 1fr; }
          dl.facts div { display: block; }
          pre, code { white-space: pre-wrap; word-break: break-all; }
        }
        """
}
