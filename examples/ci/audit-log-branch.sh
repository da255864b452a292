#!/bin/sh
# Keep assay's audit log, and its head, between CI runs on ephemeral runners,
# on a branch of the repository itself (default: assay-audit).
#
#   audit-log-branch.sh restore   before `assay check`: fetch the log and the head the
#                                 previous run stored, and verify the log against that head
#   audit-log-branch.sh keep      after `assay check`: store the log and its new head
#                                 as one commit on the branch, and push it
#
# The log is $ASSAY_AUDIT_LOG (every assay command reads it from there). Protect the branch
# against force pushes: its history then keeps every head ever stored, so a truncated or
# rewritten log fails `restore`. Run one job at a time (a concurrency group): two runs that
# push at once fail the second push, and nothing is lost, since the run's own events stay in
# its reports artifact. With ASSAY_AUDIT_KEY set (a CI secret), the chain cannot be rebuilt
# by someone who can push to the branch.
set -eu
: "${ASSAY_AUDIT_LOG:?set ASSAY_AUDIT_LOG, e.g. audit/audit.jsonl}"
BRANCH="${ASSAY_AUDIT_BRANCH:-assay-audit}"
REMOTE="${ASSAY_AUDIT_REMOTE:-origin}"
ASSAY="${ASSAY:-npx assay}"
HEAD_FILE="$ASSAY_AUDIT_LOG.head"

case "${1:-}" in
restore)
  mkdir -p "$(dirname "$ASSAY_AUDIT_LOG")"
  if git fetch --quiet --depth=1 "$REMOTE" "$BRANCH" 2>/dev/null; then
    git show FETCH_HEAD:audit.jsonl > "$ASSAY_AUDIT_LOG"
    git show FETCH_HEAD:audit.head > "$HEAD_FILE"
    $ASSAY audit verify --expect-head "$(cat "$HEAD_FILE")"
  else
    echo "audit-log-branch: no branch $BRANCH on $REMOTE yet: starting a new log"
  fi
  ;;
keep)
  $ASSAY audit head > "$HEAD_FILE"
  work="$(mktemp -d)"
  trap 'git worktree remove --force "$work" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  if git fetch --quiet --depth=1 "$REMOTE" "$BRANCH" 2>/dev/null; then
    git worktree add --quiet --detach "$work" FETCH_HEAD
  else
    git worktree add --quiet --detach "$work"
    (cd "$work" && git checkout --quiet --orphan "assay-audit-new" && git rm -rq --cached . && git clean -fdqx)
  fi
  cp "$ASSAY_AUDIT_LOG" "$work/audit.jsonl"
  cp "$HEAD_FILE" "$work/audit.head"
  (
    cd "$work"
    git add audit.jsonl audit.head
    git -c user.name="${GIT_AUTHOR_NAME:-assay}" -c user.email="${GIT_AUTHOR_EMAIL:-assay@localhost}" commit --quiet -m "audit: $(cat audit.head)"
    git push --quiet "$REMOTE" "HEAD:refs/heads/$BRANCH"
  )
  ;;
*)
  echo "usage: audit-log-branch.sh restore|keep" >&2
  exit 2
  ;;
esac
