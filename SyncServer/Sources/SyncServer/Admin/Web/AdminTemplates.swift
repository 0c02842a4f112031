import Mustache

/// The admin page's Mustache templates, compiled into the binary so the server needs no
/// resource files next to it. `{{…}}` escapes HTML; the templates use no triple mustaches.
enum AdminTemplates {
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        try library.register(layout, named: "layout")
        try library.register(login, named: "login")
        try library.register(conflicts, named: "conflicts")
        try library.register(detail, named: "detail")
        try library.register(history, named: "history")
        try library.register(message, named: "message")
        try library.register(dashboard, named: "dashboard")
        try library.register(people, named: "people")
        return library
    }

    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{$title}}FieldSync admin{{/title}}</title>
        <link rel="stylesheet" href="/admin/static/admin.css">
        </head>
        <body>
        <header class="top">
          <a class="brand" href="/admin/conflicts">FieldSync <span>admin</span></a>
          {{#admin}}
          <nav>
            <a href="/admin/dashboard">Dashboard</a>
            <a href="/admin/conflicts">Conflicts</a>
            <a href="/admin/people">People</a>
            <span class="who">signed in as <strong>{{admin}}</strong></span>
            <form method="post" action="/admin/logout" class="inline">
              <input type="hidden" name="csrf" value="{{csrf}}">
              <button class="link" type="submit">Sign out</button>
            </form>
          </nav>
          {{/admin}}
        </header>
        <main>
        {{#flash}}<p class="flash" id="flash">{{flash}}</p>{{/flash}}
        {{#error}}<p class="error" id="error">{{error}}</p>{{/error}}
        {{$content}}{{/content}}
        </main>
        </body>
        </html>
        """

    static let login = """
        {{<layout}}
        {{$title}}Sign in · FieldSync admin{{/title}}
        {{$content}}
        <section class="card narrow">
          <h1>Sign in</h1>
          <p class="muted">Type a one-time sign-in code of an admin: <code>fieldsync-server user code NAME</code> prints one
          (so does <code>user add NAME --role admin</code>). The code works once; this browser then holds only a random
          session cookie, for eight hours or until you sign out.</p>
          <form method="post" action="/admin/login" id="login-form">
            <label for="code">Sign-in code</label>
            <input type="password" id="code" name="code" autocomplete="one-time-code" spellcheck="false" required>
            <button type="submit" class="primary" id="login">Sign in</button>
          </form>
        </section>
        {{/content}}
        {{/layout}}
        """

    static let conflicts = """
        {{<layout}}
        {{$title}}Conflicts · FieldSync admin{{/title}}
        {{$content}}
        <div class="heading">
          <h1>Conflicts</h1>
          <p class="muted" id="page-info">{{total}} matching · page {{page}} of {{pages}}</p>
        </div>
        <nav class="tabs" aria-label="Status">
          {{#statusTabs}}<a href="{{href}}" class="tab{{#selected}} selected{{/selected}}" id="tab-{{name}}">{{label}} <span class="count">{{count}}</span></a>{{/statusTabs}}
        </nav>
        <form method="get" action="/admin/conflicts" class="filters" id="filters">
          <input type="hidden" name="status" value="{{status}}">
          <label>Search <input type="search" name="q" id="filter-q" value="{{query}}" size="16" maxlength="200" placeholder="name, phone, id"></label>
          <label>Kind
            <select name="kind" id="filter-kind">
              <option value="">any</option>
              {{#kinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kinds}}
            </select>
          </label>
          <label>Entity
            <select name="entity" id="filter-entity">
              <option value="">any</option>
              {{#entities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/entities}}
            </select>
          </label>
          <label>Territory
            <select name="territory" id="filter-territory">
              <option value="">any</option>
              {{#territories}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/territories}}
            </select>
          </label>
          <label>User <input type="text" name="user" id="filter-user" value="{{user}}" size="10"></label>
          <label>Open for at least
            <select name="older_than" id="filter-age">
              {{#ages}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/ages}}
            </select>
          </label>
          <label>Page size
            <select name="limit" id="filter-limit">
              {{#sizes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sizes}}
            </select>
          </label>
          <button type="submit" id="apply-filters">Filter</button>
          <a href="/admin/conflicts" class="reset">Reset</a>
        </form>
        {{#hasCounts}}
        <p class="chips">By entity: {{#entityCounts}}<span class="chip">{{name}} <strong>{{count}}</strong></span>{{/entityCounts}}
        <span class="spacer"></span>By kind: {{#kindCounts}}<span class="chip kind-{{name}}">{{label}} <strong>{{count}}</strong></span>{{/kindCounts}}</p>
        {{/hasCounts}}
        {{#hasRows}}
        {{#hasMergeable}}<form method="post" action="/admin/conflicts/merge" id="bulk-merge">
        <input type="hidden" name="csrf" value="{{csrf}}">{{/hasMergeable}}
        <table class="list" id="conflict-table">
          <thead><tr>{{#hasMergeable}}<th></th>{{/hasMergeable}}<th>#</th><th>Kind</th><th>Record</th><th>Field</th><th>Competing values</th><th>Users</th><th>Territory</th><th>Opened</th><th>Status</th></tr></thead>
          <tbody>
          {{#rows}}
          <tr class="status-{{status}}">
            {{#hasMergeable}}<td>{{#mergeable}}<input type="checkbox" name="merge.{{id}}" value="1" id="select-{{id}}" aria-label="select #{{id}}">{{/mergeable}}</td>{{/hasMergeable}}
            <td><a href="/admin/conflicts/{{id}}" class="open-conflict" id="conflict-{{id}}">{{id}}</a></td>
            <td><span class="badge kind-{{kind}}">{{kindLabel}}</span></td>
            <td><a href="/admin/conflicts/{{id}}">{{record}}</a><div class="muted small">{{entity}} {{shortID}}</div></td>
            <td>{{field}}</td>
            <td class="values">{{#values}}<span class="{{style}}">{{label}}</span>{{/values}}</td>
            <td>{{users}}</td>
            <td>{{territory}}</td>
            <td title="{{openedAt}}">{{age}} ago</td>
            <td><span class="status {{status}}">{{statusLabel}}</span></td>
          </tr>
          {{/rows}}
          </tbody>
        </table>
        {{#hasMergeable}}<p><button type="submit" class="primary" id="merge-selected">Merge selected duplicates</button>
        <span class="muted small">with the suggested values: the record created first stays, each field keeps the newer non-empty value.</span></p>
        </form>{{/hasMergeable}}
        <p class="pager">{{#previous}}<a href="{{previous}}">← newer</a>{{/previous}} {{#next}}<a href="{{next}}">older →</a>{{/next}}</p>
        {{/hasRows}}
        {{^hasRows}}<p class="empty">No conflicts match these filters.</p>{{/hasRows}}
        {{/content}}
        {{/layout}}
        """

    static let detail = """
        {{<layout}}
        {{$title}}Conflict {{id}} · FieldSync admin{{/title}}
        {{$content}}
        <p class="crumbs"><a href="/admin/conflicts">Conflicts</a> › #{{id}}</p>
        <div class="heading">
          <h1><span class="badge kind-{{kind}}">{{kindLabel}}</span> {{record}}{{#field}} · <code>{{field}}</code>{{/field}}</h1>
          <span class="status {{status}}" id="status">{{statusLabel}}</span>
        </div>
        <p class="reason">{{reason}}</p>
        <dl class="facts">
          <div><dt>Record</dt><dd>{{entity}} <code>{{recordID}}</code> · <a href="{{historyHref}}" id="history-link">history</a></dd></div>
          {{#territory}}<div><dt>Territory</dt><dd>{{territory}}</dd></div>{{/territory}}
          <div><dt>Opened</dt><dd>{{openedAt}}{{#openedBy}} by {{openedBy}}{{/openedBy}} (log #{{openedSequence}})</dd></div>
          {{^outcomeBy}}<div><dt>Displayed</dt><dd id="displayed">{{displayed}}</dd></div>{{/outcomeBy}}
          {{#outcomeBy}}<div><dt>Outcome</dt><dd id="outcome">{{displayed}} · {{outcomeBy}}</dd></div>{{/outcomeBy}}
          {{#closedAt}}<div><dt>Closed</dt><dd>{{closedAt}}{{#closedBy}} by {{closedBy}}{{/closedBy}}{{#resolution}} · {{resolution}}{{/resolution}}</dd></div>{{/closedAt}}
        </dl>

        <h2>Competing values</h2>
        <div class="competitors" id="competitors">
          {{#competitors}}
          <article class="competitor {{badge.card}}">
            <header>{{#badge}}<span class="badge {{badge.style}}">{{badge.text}}</span>{{/badge}}<span class="muted small">{{recordText}}</span></header>
            <p class="competing-value">{{label}}</p>
            <dl>
              <div><dt>User</dt><dd>{{user}}</dd></div>
              <div><dt>Device</dt><dd>{{device}}</dd></div>
              <div><dt>Written (HLC)</dt><dd>{{hlc}}</dd></div>
              <div><dt>Received</dt><dd>{{receivedAt}}</dd></div>
              <div><dt>Write</dt><dd><code title="{{dotText}}">{{dotShort}}</code>{{#sequence}} · log #{{sequence}}{{/sequence}}</dd></div>
            </dl>
            {{#canChoose}}
            <form method="post" action="/admin/conflicts/{{conflictID}}/resolve">
              <input type="hidden" name="csrf" value="{{csrf}}">
              <input type="hidden" name="action" value="choose">
              <input type="hidden" name="sibling" value="{{dotText}}">
              <button type="submit" class="primary choose" id="choose-{{index}}">Keep this value</button>
            </form>
            {{/canChoose}}
          </article>
          {{/competitors}}
        </div>

        {{#isOpen}}
        {{#merge}}
        <section class="card" id="merge">
          <h2>Merge field by field</h2>
          <p class="muted small">Contacts, deals and visits of the record that goes move to the one that stays. For each
          field that differs, pick the value to keep (the newer non-empty one is picked); identical fields are greyed.</p>
          <form method="post" action="/admin/conflicts/{{id}}/resolve" id="merge-form">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="hidden" name="action" value="merge">
            <table class="list merge">
              <thead><tr><th>Field</th><th>{{leftLabel}}</th><th>{{rightLabel}}</th></tr></thead>
              <tbody>
              <tr class="survivor"><th>Record that stays</th>
                <td><label><input type="radio" name="survivor" value="{{leftID}}" id="survivor-left"{{#leftSurvives}} checked{{/leftSurvives}}> this one</label></td>
                <td><label><input type="radio" name="survivor" value="{{rightID}}" id="survivor-right"{{^leftSurvives}} checked{{/leftSurvives}}> this one</label></td></tr>
              {{#rows}}
              {{#differs}}<tr class="differs" id="merge-{{name}}"><th>{{name}}</th>
                <td><label><input type="radio" name="keep.{{name}}" value="{{leftID}}"{{#leftChecked}} checked{{/leftChecked}}> {{left}}</label></td>
                <td><label><input type="radio" name="keep.{{name}}" value="{{rightID}}"{{#rightChecked}} checked{{/rightChecked}}> {{right}}</label></td></tr>{{/differs}}
              {{^differs}}<tr class="same" id="merge-{{name}}"><th>{{name}}</th><td>{{left}}</td><td>{{right}}</td></tr>{{/differs}}
              {{/rows}}
              </tbody>
            </table>
            <input type="text" name="note" placeholder="note (optional)">
            <button type="submit" class="primary" id="merge-submit">Merge</button>
          </form>
        </section>
        {{/merge}}
        <section class="actions card" id="actions">
          <h2>Resolve</h2>
          <div class="action-grid">
          {{#canEnterValue}}
          <form method="post" action="/admin/conflicts/{{id}}/resolve" id="value-form">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="hidden" name="action" value="value">
            <label for="value">Enter a new value for <code>{{field}}</code></label>
            <input type="text" id="value" name="text" required>
            <input type="text" name="note" placeholder="note (optional)">
            <button type="submit" class="primary" id="save-value">Save value</button>
          </form>
          {{/canEnterValue}}
          {{#simpleActions}}
          <form method="post" action="/admin/conflicts/{{id}}/resolve">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="hidden" name="action" value="{{action}}">
            {{#survivor}}<input type="hidden" name="survivor" value="{{survivor}}">{{/survivor}}
            <p class="muted small">{{explanation}}</p>
            <button type="submit" class="{{style}}" id="action-{{name}}">{{label}}</button>
          </form>
          {{/simpleActions}}
          <form method="post" action="/admin/conflicts/{{id}}/dismiss" id="dismiss-form">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label for="reason">Dismiss (no change to the record)</label>
            <input type="text" id="reason" name="reason" placeholder="reason" required>
            <button type="submit" id="dismiss">Dismiss</button>
          </form>
          </div>
        </section>
        {{/isOpen}}

        <h2>Record</h2>
        <table class="compare" id="compare">
          <thead><tr><th>Field</th><th>Before the conflict{{#beforeSequence}} (log #{{beforeSequence}}){{/beforeSequence}}</th><th>Now{{#afterSequence}} (log #{{afterSequence}}){{/afterSequence}}</th>{{#hasRelated}}<th>{{relatedTitle}}</th>{{/hasRelated}}</tr></thead>
          <tbody>
          {{#rows}}<tr class="{{#changed}}changed{{/changed}}{{#conflicted}} conflicted{{/conflicted}}"><th>{{name}}</th><td>{{before}}</td><td>{{after}}</td>{{#hasRelated}}<td>{{related}}</td>{{/hasRelated}}</tr>{{/rows}}
          </tbody>
        </table>
        {{/content}}
        {{/layout}}
        """

    static let history = """
        {{<layout}}
        {{$title}}History of {{entity}} {{shortID}} · FieldSync admin{{/title}}
        {{$content}}
        <p class="crumbs"><a href="/admin/conflicts">Conflicts</a> › history</p>
        <div class="heading">
          <h1>{{label}} <span class="muted">{{entity}} <code>{{id}}</code></span></h1>
          {{#deleted}}<span class="status dismissed">deleted</span>{{/deleted}}
        </div>
        <table class="list history" id="history-table">
          <thead><tr><th>Log #</th><th>Received</th><th>Who</th><th>Device</th><th>Written (HLC)</th><th>Change</th></tr></thead>
          <tbody>
          {{#entries}}
          <tr{{#conflicted}} class="conflicted"{{/conflicted}}>
            <td>{{sequence}}</td>
            <td>{{receivedAt}}</td>
            <td>{{user}}</td>
            <td>{{device}}</td>
            <td>{{hlc}}</td>
            <td>
              {{#what}}<span class="badge">{{what}}</span>{{/what}}
              {{#conflicted}}<span class="badge kind-concurrent_values">conflict</span>{{/conflicted}}
              <ul class="diff">{{#fields}}<li><code>{{field}}</code> <span class="old">{{old}}</span> → <span class="new">{{new}}</span>{{#shown}} <span class="muted small">(shown: {{shown}})</span>{{/shown}}{{#concurrent}} <span class="badge kind-concurrent_values concurrent">{{concurrent}}</span>{{/concurrent}}</li>{{/fields}}</ul>
            </td>
          </tr>
          {{/entries}}
          </tbody>
        </table>
        {{/content}}
        {{/layout}}
        """

    static let message = """
        {{<layout}}
        {{$title}}{{heading}} · FieldSync admin{{/title}}
        {{$content}}
        <section class="card narrow"><h1>{{heading}}</h1><p>{{text}}</p>{{#code}}<p class="code" id="one-time-code"><code>{{code}}</code></p>{{/code}}<p><a href="{{link}}">{{linkText}}</a></p></section>
        {{/content}}
        {{/layout}}
        """

    static let dashboard = """
        {{<layout}}
        {{$title}}Dashboard · FieldSync admin{{/title}}
        {{$content}}
        <div class="heading"><h1>Dashboard</h1></div>
        <div class="tiles">
          <a class="card tile" href="/admin/conflicts" id="tile-conflicts"><strong>{{openConflicts}}</strong> open conflicts</a>
          <a class="card tile" href="/admin/people" id="tile-devices"><strong>{{activeDevices}}</strong> of {{devices}} devices synced in the last 24 h</a>
          <a class="card tile" href="/admin/people" id="tile-users"><strong>{{users}}</strong> users</a>
        </div>
        <p class="chips">{{#openByKind}}<a class="chip kind-{{name}}" href="/admin/conflicts?kind={{name}}">{{label}} <strong>{{count}}</strong></a>{{/openByKind}}</p>
        <div class="charts">
          <section class="card"><h2>Pipeline (open deals by stage)</h2><img src="/admin/charts/pipeline.svg" alt="pipeline chart" id="chart-pipeline"></section>
          <section class="card"><h2>Lead conversion</h2><img src="/admin/charts/conversion.svg" alt="conversion chart" id="chart-conversion"></section>
        </div>
        <section class="card"><h2>Pipeline report</h2><pre id="pipeline-text">{{pipelineText}}</pre></section>
        {{/content}}
        {{/layout}}
        """

    static let people = """
        {{<layout}}
        {{$title}}People · FieldSync admin{{/title}}
        {{$content}}
        <div class="heading"><h1>People and devices</h1></div>
        <h2>Users</h2>
        <table class="list" id="users-table">
          <thead><tr><th>Name</th><th>Role</th><th>Territories</th><th>Team</th><th>Devices</th><th></th></tr></thead>
          <tbody>
          {{#users}}
          <tr><td>{{name}}</td><td>{{role}}</td><td>{{territories}}</td><td>{{team}}</td><td>{{devices}}</td>
            <td><form method="post" action="/admin/users/{{name}}/code" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
              <button type="submit" id="code-{{name}}">New one-time code</button></form></td></tr>
          {{/users}}
          </tbody>
        </table>
        <h2>Devices</h2>
        <table class="list" id="devices-table">
          <thead><tr><th>User</th><th>Device</th><th>Enrolled</th><th>Last sync</th><th>Status</th><th></th></tr></thead>
          <tbody>
          {{#devices}}
          <tr class="device-{{status}}"><td>{{user}}</td><td>{{name}} <span class="muted small">{{short}}</span></td><td>{{enrolled}}</td><td>{{lastSeen}}</td>
            <td><span class="status {{status}}">{{status}}</span></td>
            <td>{{#canRevoke}}<form method="post" action="/admin/devices/{{replica}}/revoke" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
              <button type="submit" id="revoke-{{short}}">Revoke</button></form>{{/canRevoke}}
              {{#canWipe}}<form method="post" action="/admin/devices/{{replica}}/wipe" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
              <button type="submit" class="danger" id="wipe-{{short}}">Wipe (lost phone)</button></form>{{/canWipe}}</td></tr>
          {{/devices}}
          </tbody>
        </table>
        {{/content}}
        {{/layout}}
        """
}
