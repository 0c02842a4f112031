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
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{$title}}{{t.appTitle}}{{/title}}</title>
        <link rel="stylesheet" href="/admin/static/admin.css">
        </head>
        <body>
        <header class="top">
          <a class="brand" href="/admin/conflicts">FieldSync <span>{{t.brandAdmin}}</span></a>
          {{#admin}}
          <nav>
            <a href="/admin/dashboard">{{t.dashboard}}</a>
            <a href="/admin/conflicts">{{t.conflicts}}</a>
            <a href="/admin/people">{{t.people}}</a>
            <span class="who">{{t.signedInAs}} <strong>{{admin}}</strong></span>
            <form method="post" action="/admin/logout" class="inline">
              <input type="hidden" name="csrf" value="{{csrf}}">
              <button class="link" type="submit">{{t.signOut}}</button>
            </form>
          </nav>
          {{/admin}}
          <nav class="languages" aria-label="{{t.language}}">{{#languages}}<a href="{{href}}" hreflang="{{code}}" class="language{{#selected}} selected{{/selected}}">{{name}}</a>{{/languages}}</nav>
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
        {{$title}}{{t.signIn}} · {{t.appTitle}}{{/title}}
        {{$content}}
        <section class="card narrow">
          <h1>{{t.signIn}}</h1>
          <p class="muted">{{t.loginHelpCode}} <code>fieldsync-server user code NAME</code> {{t.loginHelpAlso}}
          <code>user add NAME --role admin</code>{{t.loginHelpSession}}</p>
          <form method="post" action="/admin/login" id="login-form">
            <label for="code">{{t.signInCode}}</label>
            <input type="password" id="code" name="code" autocomplete="one-time-code" spellcheck="false" required>
            <button type="submit" class="primary" id="login">{{t.signIn}}</button>
          </form>
        </section>
        {{/content}}
        {{/layout}}
        """

    static let conflicts = """
        {{<layout}}
        {{$title}}{{t.conflicts}} · {{t.appTitle}}{{/title}}
        {{$content}}
        <div class="heading">
          <h1>{{t.conflicts}}</h1>
          <p class="muted" id="page-info">{{pageInfo}}</p>
        </div>
        <nav class="tabs" aria-label="{{t.status}}">
          {{#statusTabs}}<a href="{{href}}" class="tab{{#selected}} selected{{/selected}}" id="tab-{{name}}">{{label}} <span class="count">{{count}}</span></a>{{/statusTabs}}
        </nav>
        <form method="get" action="/admin/conflicts" class="filters" id="filters">
          <input type="hidden" name="status" value="{{status}}">
          <label>{{t.search}} <input type="search" name="q" id="filter-q" value="{{query}}" size="16" maxlength="200" placeholder="{{t.searchHint}}"></label>
          <label>{{t.kind}}
            <select name="kind" id="filter-kind">
              <option value="">{{t.any}}</option>
              {{#kinds}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/kinds}}
            </select>
          </label>
          <label>{{t.entity}}
            <select name="entity" id="filter-entity">
              <option value="">{{t.any}}</option>
              {{#entities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/entities}}
            </select>
          </label>
          <label>{{t.territory}}
            <select name="territory" id="filter-territory">
              <option value="">{{t.any}}</option>
              {{#territories}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/territories}}
            </select>
          </label>
          <label>{{t.user}} <input type="text" name="user" id="filter-user" value="{{user}}" size="10"></label>
          <label>{{t.openForAtLeast}}
            <select name="older_than" id="filter-age">
              {{#ages}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/ages}}
            </select>
          </label>
          <label>{{t.pageSize}}
            <select name="limit" id="filter-limit">
              {{#sizes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sizes}}
            </select>
          </label>
          <button type="submit" id="apply-filters">{{t.filter}}</button>
          <a href="/admin/conflicts" class="reset">{{t.reset}}</a>
        </form>
        {{#hasCounts}}
        <p class="chips">{{t.byEntity}} {{#entityCounts}}<span class="chip">{{name}} <strong>{{count}}</strong></span>{{/entityCounts}}
        <span class="spacer"></span>{{t.byKind}} {{#kindCounts}}<span class="chip kind-{{name}}">{{label}} <strong>{{count}}</strong></span>{{/kindCounts}}</p>
        {{/hasCounts}}
        {{#hasRows}}
        {{#hasMergeable}}<form method="post" action="/admin/conflicts/merge" id="bulk-merge">
        <input type="hidden" name="csrf" value="{{csrf}}">{{/hasMergeable}}
        <table class="list" id="conflict-table">
          <thead><tr>{{#hasMergeable}}<th></th>{{/hasMergeable}}<th>#</th><th>{{t.kind}}</th><th>{{t.record}}</th><th>{{t.field}}</th><th>{{t.competingValues}}</th><th>{{t.users}}</th><th>{{t.territory}}</th><th>{{t.opened}}</th><th>{{t.status}}</th></tr></thead>
          <tbody>
          {{#rows}}
          <tr class="status-{{status}}">
            {{#hasMergeable}}<td>{{#mergeable}}<input type="checkbox" name="merge.{{id}}" value="1" id="select-{{id}}" aria-label="{{t.select}} #{{id}}">{{/mergeable}}</td>{{/hasMergeable}}
            <td><a href="/admin/conflicts/{{id}}" class="open-conflict" id="conflict-{{id}}">{{id}}</a></td>
            <td><span class="badge kind-{{kind}}">{{kindLabel}}</span></td>
            <td><a href="/admin/conflicts/{{id}}">{{record}}</a><div class="muted small">{{entity}} {{shortID}}</div></td>
            <td>{{field}}</td>
            <td class="values">{{#values}}<span class="{{style}}">{{label}}</span>{{/values}}</td>
            <td>{{users}}</td>
            <td>{{territory}}</td>
            <td title="{{openedAt}}">{{age}}</td>
            <td><span class="status {{status}}">{{statusLabel}}</span></td>
          </tr>
          {{/rows}}
          </tbody>
        </table>
        {{#hasMergeable}}<p><button type="submit" class="primary" id="merge-selected">{{t.mergeSelected}}</button>
        <span class="muted small">{{t.mergeSelectedHelp}}</span></p>
        </form>{{/hasMergeable}}
        <p class="pager">{{#previous}}<a href="{{previous}}">← {{t.newer}}</a>{{/previous}} {{#next}}<a href="{{next}}">{{t.older}} →</a>{{/next}}</p>
        {{/hasRows}}
        {{^hasRows}}<p class="empty">{{t.noMatches}}</p>{{/hasRows}}
        {{/content}}
        {{/layout}}
        """

    static let detail = """
        {{<layout}}
        {{$title}}{{t.conflict}} #{{id}} · {{t.appTitle}}{{/title}}
        {{$content}}
        <p class="crumbs"><a href="/admin/conflicts">{{t.conflicts}}</a> › #{{id}}</p>
        <div class="heading">
          <h1><span class="badge kind-{{kind}}">{{kindLabel}}</span> {{record}}{{#field}} · <code>{{field}}</code>{{/field}}</h1>
          <span class="status {{status}}" id="status">{{statusLabel}}</span>
        </div>
        <p class="reason">{{reason}}</p>
        <dl class="facts">
          <div><dt>{{t.record}}</dt><dd>{{entity}} <code>{{recordID}}</code> · <a href="{{historyHref}}" id="history-link">{{t.history}}</a></dd></div>
          {{#territory}}<div><dt>{{t.territory}}</dt><dd>{{territory}}</dd></div>{{/territory}}
          <div><dt>{{t.opened}}</dt><dd>{{openedLine}}</dd></div>
          {{^outcomeBy}}<div><dt>{{t.displayed}}</dt><dd id="displayed">{{displayed}}</dd></div>{{/outcomeBy}}
          {{#outcomeBy}}<div><dt>{{t.outcome}}</dt><dd id="outcome">{{displayed}} · {{outcomeBy}}</dd></div>{{/outcomeBy}}
          {{#closedLine}}<div><dt>{{t.closed}}</dt><dd>{{closedLine}}</dd></div>{{/closedLine}}
        </dl>

        <h2>{{t.competingValues}}</h2>
        <div class="competitors" id="competitors">
          {{#competitors}}
          <article class="competitor {{badge.card}}">
            <header>{{#badge}}<span class="badge {{badge.style}}">{{badge.text}}</span>{{/badge}}<span class="muted small">{{recordText}}</span></header>
            <p class="competing-value">{{label}}</p>
            <dl>
              <div><dt>{{t.user}}</dt><dd>{{user}}</dd></div>
              <div><dt>{{t.device}}</dt><dd>{{device}}</dd></div>
              <div><dt>{{t.writtenHLC}}</dt><dd>{{hlc}}</dd></div>
              <div><dt>{{t.received}}</dt><dd>{{receivedAt}}</dd></div>
              <div><dt>{{t.write}}</dt><dd><code title="{{dotText}}">{{dotShort}}</code>{{#sequence}} · {{t.log}} #{{sequence}}{{/sequence}}</dd></div>
            </dl>
            {{#canChoose}}
            <form method="post" action="/admin/conflicts/{{conflictID}}/resolve">
              <input type="hidden" name="csrf" value="{{csrf}}">
              <input type="hidden" name="action" value="choose">
              <input type="hidden" name="sibling" value="{{dotText}}">
              <button type="submit" class="primary choose" id="choose-{{index}}">{{t.keepThisValue}}</button>
            </form>
            {{/canChoose}}
          </article>
          {{/competitors}}
        </div>

        {{#isOpen}}
        {{#merge}}
        <section class="card" id="merge">
          <h2>{{t.mergeFieldByField}}</h2>
          <p class="muted small">{{t.mergeHelp}}</p>
          <form method="post" action="/admin/conflicts/{{id}}/resolve" id="merge-form">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="hidden" name="action" value="merge">
            <table class="list merge">
              <thead><tr><th>{{t.field}}</th><th>{{leftLabel}}</th><th>{{rightLabel}}</th></tr></thead>
              <tbody>
              <tr class="survivor"><th>{{t.recordThatStays}}</th>
                <td><label><input type="radio" name="survivor" value="{{leftID}}" id="survivor-left"{{#leftSurvives}} checked{{/leftSurvives}}> {{t.thisOne}}</label></td>
                <td><label><input type="radio" name="survivor" value="{{rightID}}" id="survivor-right"{{^leftSurvives}} checked{{/leftSurvives}}> {{t.thisOne}}</label></td></tr>
              {{#rows}}
              {{#differs}}<tr class="differs" id="merge-{{name}}"><th>{{name}}</th>
                <td><label><input type="radio" name="keep.{{name}}" value="{{leftID}}"{{#leftChecked}} checked{{/leftChecked}}> {{left}}</label></td>
                <td><label><input type="radio" name="keep.{{name}}" value="{{rightID}}"{{#rightChecked}} checked{{/rightChecked}}> {{right}}</label></td></tr>{{/differs}}
              {{^differs}}<tr class="same" id="merge-{{name}}"><th>{{name}}</th><td>{{left}}</td><td>{{right}}</td></tr>{{/differs}}
              {{/rows}}
              </tbody>
            </table>
            <input type="text" name="note" placeholder="{{t.noteOptional}}">
            <button type="submit" class="primary" id="merge-submit">{{t.merge}}</button>
          </form>
        </section>
        {{/merge}}
        <section class="actions card" id="actions">
          <h2>{{t.resolve}}</h2>
          <div class="action-grid">
          {{#canEnterValue}}
          <form method="post" action="/admin/conflicts/{{id}}/resolve" id="value-form">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <input type="hidden" name="action" value="value">
            <label for="value">{{t.enterNewValue}} <code>{{field}}</code></label>
            <input type="text" id="value" name="text" required>
            <input type="text" name="note" placeholder="{{t.noteOptional}}">
            <button type="submit" class="primary" id="save-value">{{t.saveValue}}</button>
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
            <label for="reason">{{t.dismissHelp}}</label>
            <input type="text" id="reason" name="reason" placeholder="{{t.reason}}" required>
            <button type="submit" id="dismiss">{{t.dismiss}}</button>
          </form>
          </div>
        </section>
        {{/isOpen}}

        <h2>{{t.record}}</h2>
        <table class="compare" id="compare">
          <thead><tr><th>{{t.field}}</th><th>{{t.beforeConflict}}{{#beforeSequence}} ({{t.log}} #{{beforeSequence}}){{/beforeSequence}}</th><th>{{t.now}}{{#afterSequence}} ({{t.log}} #{{afterSequence}}){{/afterSequence}}</th>{{#hasRelated}}<th>{{relatedTitle}}</th>{{/hasRelated}}</tr></thead>
          <tbody>
          {{#rows}}<tr class="{{#changed}}changed{{/changed}}{{#conflicted}} conflicted{{/conflicted}}"><th>{{name}}</th><td>{{before}}</td><td>{{after}}</td>{{#hasRelated}}<td>{{related}}</td>{{/hasRelated}}</tr>{{/rows}}
          </tbody>
        </table>
        {{/content}}
        {{/layout}}
        """

    static let history = """
        {{<layout}}
        {{$title}}{{t.history}} · {{entity}} {{shortID}} · {{t.appTitle}}{{/title}}
        {{$content}}
        <p class="crumbs"><a href="/admin/conflicts">{{t.conflicts}}</a> › {{t.history}}</p>
        <div class="heading">
          <h1>{{label}} <span class="muted">{{entity}} <code>{{id}}</code></span></h1>
          {{#deleted}}<span class="status dismissed">{{t.deleted}}</span>{{/deleted}}
        </div>
        <table class="list history" id="history-table">
          <thead><tr><th>{{t.log}} #</th><th>{{t.received}}</th><th>{{t.who}}</th><th>{{t.device}}</th><th>{{t.writtenHLC}}</th><th>{{t.change}}</th></tr></thead>
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
              {{#conflicted}}<span class="badge kind-concurrent_values">{{t.conflictBadge}}</span>{{/conflicted}}
              <ul class="diff">{{#fields}}<li><code>{{field}}</code> <span class="old">{{old}}</span> → <span class="new">{{new}}</span>{{#shown}} <span class="muted small">({{t.shown}} {{shown}})</span>{{/shown}}{{#concurrent}} <span class="badge kind-concurrent_values concurrent">{{concurrent}}</span>{{/concurrent}}</li>{{/fields}}</ul>
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
        {{$title}}{{heading}} · {{t.appTitle}}{{/title}}
        {{$content}}
        <section class="card narrow"><h1>{{heading}}</h1><p>{{text}}</p>{{#code}}<p class="code" id="one-time-code"><code>{{code}}</code></p>{{/code}}<p><a href="{{link}}">{{linkText}}</a></p></section>
        {{/content}}
        {{/layout}}
        """

    static let dashboard = """
        {{<layout}}
        {{$title}}{{t.dashboard}} · {{t.appTitle}}{{/title}}
        {{$content}}
        <div class="heading"><h1>{{t.dashboard}}</h1></div>
        <div class="tiles">
          <a class="card tile" href="/admin/conflicts" id="tile-conflicts"><strong>{{openConflicts}}</strong> {{t.openConflicts}}</a>
          <a class="card tile" href="/admin/people" id="tile-devices"><strong>{{activeDevices}}</strong> {{devicesSynced}}</a>
          <a class="card tile" href="/admin/people" id="tile-users"><strong>{{users}}</strong> {{t.usersCount}}</a>
        </div>
        <p class="chips">{{#openByKind}}<a class="chip kind-{{name}}" href="/admin/conflicts?kind={{name}}">{{label}} <strong>{{count}}</strong></a>{{/openByKind}}</p>
        <div class="charts">
          <section class="card"><h2>{{t.pipelineChart}}</h2><img src="/admin/charts/pipeline.svg" alt="{{t.pipelineChart}}" id="chart-pipeline"></section>
          <section class="card"><h2>{{t.conversionChart}}</h2><img src="/admin/charts/conversion.svg" alt="{{t.conversionChart}}" id="chart-conversion"></section>
        </div>
        <section class="card"><h2>{{t.pipelineReport}}</h2><pre id="pipeline-text">{{pipelineText}}</pre></section>
        {{/content}}
        {{/layout}}
        """

    static let people = """
        {{<layout}}
        {{$title}}{{t.people}} · {{t.appTitle}}{{/title}}
        {{$content}}
        <div class="heading"><h1>{{t.peopleAndDevices}}</h1></div>
        <h2>{{t.usersHeading}}</h2>
        <table class="list" id="users-table">
          <thead><tr><th>{{t.name}}</th><th>{{t.role}}</th><th>{{t.territories}}</th><th>{{t.team}}</th><th>{{t.devices}}</th><th></th></tr></thead>
          <tbody>
          {{#users}}
          <tr><td>{{name}}</td><td>{{role}}</td><td>{{territories}}</td><td>{{team}}</td><td>{{devices}}</td>
            <td><form method="post" action="/admin/users/{{name}}/code" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
              <button type="submit" id="code-{{name}}">{{t.newCode}}</button></form></td></tr>
          {{/users}}
          </tbody>
        </table>
        <h2>{{t.devices}}</h2>
        <table class="list" id="devices-table">
          <thead><tr><th>{{t.user}}</th><th>{{t.device}}</th><th>{{t.enrolled}}</th><th>{{t.lastSync}}</th><th>{{t.status}}</th><th></th></tr></thead>
          <tbody>
          {{#devices}}
          <tr class="device-{{status}}"><td>{{user}}</td><td>{{name}} <span class="muted small">{{short}}</span></td><td>{{enrolled}}</td><td>{{lastSeen}}</td>
            <td><span class="status {{status}}">{{statusLabel}}</span></td>
            <td>{{#canRevoke}}<form method="post" action="/admin/devices/{{replica}}/revoke" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
              <button type="submit" id="revoke-{{short}}">{{t.revoke}}</button></form>{{/canRevoke}}
              {{#canWipe}}<form method="post" action="/admin/devices/{{replica}}/wipe" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
              <button type="submit" class="danger" id="wipe-{{short}}">{{t.wipe}}</button></form>{{/canWipe}}</td></tr>
          {{/devices}}
          </tbody>
        </table>
        {{/content}}
        {{/layout}}
        """
}
