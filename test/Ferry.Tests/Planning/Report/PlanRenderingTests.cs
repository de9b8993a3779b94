using Ferry.Planning.Rendering;

namespace Ferry.Tests.Planning.Report;

/// <summary>
/// Each output format pinned in full (approval style): a change to what people or scripts read
/// shows up here as a diff to review.
/// </summary>
public class PlanRenderingTests
{
    [Fact]
    public void Text_lists_every_table_with_role_rows_and_path_then_cut_unfollowed_and_cycle_breaks()
    {
        Approve("""
        plan: groups 2: 9 table(s) in scope (1 root, 5 owned, 3 referenced), 1,225 rows
        table          role          rows  path or reason
        groups         root             1  groups
        posts          owned            5  groups ← posts.group_id
        comments       owned        1,200  groups ← posts.group_id ← comments.post_id
        memberships    owned            3  groups ← memberships.group_id
        conversations  owned            2  groups ← conversations.group_id
        messages       owned            7  groups ← conversations.group_id ← messages.conversation_id
        kinds          referenced       1  groups ← posts.group_id → tags via posts.tag_id → kinds via tags.kind_id
        tags           referenced       2  groups ← posts.group_id → tags via posts.tag_id
        users          referenced       4  groups ← memberships.group_id → users via memberships.user_id
        audit          excluded         -  instance-specific audit trail
        migrations     ignored          -  framework bookkeeping
        sessions       not reached      -
        cut (references set to NULL: they leave the scope or point at an excluded table):
          posts.audit_id → audit: 2 rows (excluded)
          users.current_group_id → groups: 1 row (outside the scope)
        not followed (nullable references into the tenant; rows outside the export that use them are left behind):
          comments.reply_to_id → comments: 0 rows left behind
          users.current_group_id → groups: 2 rows left behind (--follow users.current_group_id takes them, 2 more row(s) in all)
        cycle breaks (rows written before the rows they point at):
          conversations.latest_message_id → messages: written NULL, then updated once every row exists
        warnings (export prints them too):
          left behind: 2 row(s) of users point at exported groups rows through users.current_group_id (nullable, not followed; --follow users.current_group_id takes them, 2 more row(s) in all)
        """, PlanTextRenderer.RenderText(SampleReports.App()));
    }

    [Fact]
    public void Compact_text_names_tables_out_of_scope_and_only_unfollowed_edges_that_leave_rows_behind()
    {
        Approve("""
        plan: groups 2: 9 table(s) in scope (1 root, 5 owned, 3 referenced), 1,225 rows
        excluded (1): audit (instance-specific audit trail)
        ignored (1): migrations (framework bookkeeping)
        not reached (1): sessions
        cut (set to NULL):
          posts.audit_id → audit: 2 rows (excluded)
          users.current_group_id → groups: 1 row (outside the scope)
        not followed (rows left behind):
          users.current_group_id → groups: 2 rows left behind (--follow users.current_group_id takes them, 2 more row(s) in all)
        not followed: 1 more nullable reference(s) into the tenant, leaving nothing behind
        cycle breaks: conversations.latest_message_id → messages (NULL, then updated)
        """, string.Concat(PlanTextRenderer.Render(SampleReports.App(), compact: true).Select(l => l + "\n")));
    }

    [Fact]
    public void Json_holds_tables_edges_and_cycle_breaks_with_nulls_for_what_does_not_apply()
    {
        Approve("""
        {
          "root": "groups",
          "ids": [
            "2",
            "5"
          ],
          "totalRows": 4,
          "tables": [
            {
              "name": "groups",
              "role": "root",
              "rows": 1,
              "path": "groups",
              "via": [],
              "reason": null
            },
            {
              "name": "posts",
              "role": "owned",
              "rows": 2,
              "path": "groups ← posts.group_id",
              "via": [
                {
                  "name": "fk_posts_group_id",
                  "table": "posts",
                  "columns": [
                    "group_id"
                  ],
                  "refTable": "groups"
                }
              ],
              "reason": null
            },
            {
              "name": "users",
              "role": "referenced",
              "rows": 1,
              "path": "groups ← posts.group_id → users via posts.author_id",
              "via": [
                {
                  "name": "fk_posts_group_id",
                  "table": "posts",
                  "columns": [
                    "group_id"
                  ],
                  "refTable": "groups"
                },
                {
                  "name": "fk_posts_author_id",
                  "table": "posts",
                  "columns": [
                    "author_id"
                  ],
                  "refTable": "users"
                }
              ],
              "reason": null
            },
            {
              "name": "logs",
              "role": "not-reached",
              "rows": null,
              "path": null,
              "via": [],
              "reason": null
            }
          ],
          "edges": [
            {
              "name": "fk_posts_author_id",
              "table": "posts",
              "columns": [
                "author_id"
              ],
              "refTable": "users",
              "kind": "references",
              "nullable": false,
              "cut": 0,
              "leftBehind": null,
              "cycleBreak": false,
              "follow": null,
              "partitions": null
            },
            {
              "name": "fk_posts_group_id",
              "table": "posts",
              "columns": [
                "group_id"
              ],
              "refTable": "groups",
              "kind": "owns",
              "nullable": false,
              "cut": 0,
              "leftBehind": null,
              "cycleBreak": false,
              "follow": null,
              "partitions": null
            },
            {
              "name": "fk_users_current_group_id",
              "table": "users",
              "columns": [
                "current_group_id"
              ],
              "refTable": "groups",
              "kind": "not-followed",
              "nullable": true,
              "cut": 1,
              "leftBehind": 3,
              "cycleBreak": false,
              "follow": {
                "option": "--follow users.current_group_id",
                "works": false,
                "addedRows": null,
                "problem": "2 row(s) of posts would point outside the export through posts.author_id (NOT NULL)"
              },
              "partitions": null
            }
          ],
          "cycleBreaks": [],
          "undeclared": [
            {
              "table": "posts",
              "column": "editor_id",
              "likelyTable": "users",
              "likelyColumn": "id",
              "rows": 2,
              "existing": 1
            }
          ],
          "warnings": [
            "posts.editor_id looks like a reference to users.id but has no foreign key: 1 of 2 row(s) hold a value found there; its values are copied unchanged (declare it as a profile relation, posts.editor_id → users, if it is one)"
          ]
        }
        """, PlanJsonRenderer.Render(SampleReports.Small()));
    }

    [Fact]
    public void Mermaid_colours_roles_with_class_defs_and_dashes_cut_and_unfollowed_edges()
    {
        Approve("""
        flowchart LR
          classDef root fill:#f6c343,stroke:#8a6d00,color:#000000
          classDef owned fill:#8fd19e,stroke:#2f7d45,color:#000000
          classDef referenced fill:#9ec5fe,stroke:#2d63b3,color:#000000
          classDef excluded fill:#f1aeb5,stroke:#a52834,color:#000000
          classDef ignored fill:#dee2e6,stroke:#6c757d,color:#495057
          classDef notreached fill:#ffffff,stroke:#adb5bd,color:#6c757d,stroke-dasharray:4 4
          t1["groups<br/>root · 1 row"]:::root
          t2["posts<br/>owned · 2 rows"]:::owned
          t3["users<br/>referenced · 1 row"]:::referenced
          t4["logs<br/>not reached"]:::notreached
          t2 -->|"author_id"| t3
          t2 -->|"group_id"| t1
          t3 -.->|"current_group_id · not followed, 3 left behind · 1 cut"| t1
        """, PlanMermaidRenderer.Render(SampleReports.Small()));
    }

    [Fact]
    public void Dot_fills_roles_and_dashes_cut_and_unfollowed_edges()
    {
        Approve("""
        digraph plan {
          rankdir=LR;
          node [shape=box, style="rounded,filled", fontname="Helvetica"];
          edge [fontname="Helvetica", fontsize=10];
          "groups" [label="groups\nroot · 1 row", fillcolor="#f6c343", color="#8a6d00", fontcolor="#000000"];
          "posts" [label="posts\nowned · 2 rows", fillcolor="#8fd19e", color="#2f7d45", fontcolor="#000000"];
          "users" [label="users\nreferenced · 1 row", fillcolor="#9ec5fe", color="#2d63b3", fontcolor="#000000"];
          "logs" [label="logs\nnot reached", fillcolor="#ffffff", color="#adb5bd", fontcolor="#6c757d", style="rounded,filled,dashed"];
          "posts" -> "users" [label="author_id"];
          "posts" -> "groups" [label="group_id"];
          "users" -> "groups" [label="current_group_id · not followed, 3 left behind · 1 cut", style=dashed];
        }
        """, PlanDotRenderer.Render(SampleReports.Small()));
    }

    private static void Approve(string approved, string actual) => Assert.Equal(approved.ReplaceLineEndings("\n") + "\n", actual);
}
