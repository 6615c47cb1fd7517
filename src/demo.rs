//! `worklog demo`: a sample doc root whose history spans years, built by running worklog's
//! own commands with a fixed clock for each step, then a few searches over it.

/// One step of the demo's history: when, who, and the command line to run.
pub struct Step {
    pub when: &'static str,
    pub who: (&'static str, &'static str),
    /// Files to write before the command: (path, text).
    pub write: &'static [(&'static str, &'static str)],
    pub args: &'static [&'static str],
}

const ALICE: (&str, &str) = ("Alice Admin", "alice@demo.example");
const BOB: (&str, &str) = ("Bob Builder", "bob@demo.example");

const MAILHOST_2014: &str = "---\ntitle: mailhost\ntags: [mail, postfix]\nsystems: [mailhost]\n---\n# mailhost\n\nThe team's mail relay. Rebuild from nothing:\n\n1. Debian stable, two disks in an md mirror (RAID 1) with a write-intent bitmap.\n2. `apt-get install postfix dovecot-imapd`\n3. Copy /etc/postfix/main.cf from the backup; mail spools live in /var/mail.\n4. Check: `postqueue -p` is empty, a test mail arrives.\n";
const MAILHOST_2018: &str = "---\ntitle: mailhost\ntags: [mail, postfix]\nsystems: [mailhost]\n---\n# mailhost\n\nThe team's mail relay. Rebuild from nothing:\n\n1. Debian stable, two disks in an md mirror (RAID 1) with a write-intent bitmap.\n2. `apt-get install postfix dovecot-imapd opendkim`\n3. Copy /etc/postfix/main.cf and /etc/opendkim from the backup; spools in /var/mail.\n4. DKIM keys: restore /etc/opendkim/keys, then `opendkim-testkey -vvv`.\n5. Check: `postqueue -p` is empty, a test mail arrives signed.\n";
const RESTORE_2015: &str = "---\ntitle: Restore a file from backup\ntags: [backup]\n---\n# Restore a file from backup\n\nBackups are made nightly by Amanda to the tape library.\n\n1. `amrecover -C daily` on the backup server.\n2. `sethost`, `setdisk`, `add FILE`, `extract`.\n3. Tell the user where the file went.\n";
const RESTORE_2019: &str = "---\ntitle: Restore a file from backup\ntags: [backup, restic]\n---\n# Restore a file from backup\n\nSince 2019 backups are made nightly by restic to the object store.\n\n1. `restic snapshots --host HOST` to find the snapshot.\n2. `restic restore SNAP --target /tmp/restore --include FILE`.\n3. Tell the user where the file went.\n";
const FS_MIGRATION: &str = "---\ntitle: Migrate /home to the new ZFS pool\ntags: [zfs]\n---\n# Migrate /home to the new ZFS pool\n\n## Before\n\n- [ ] Announce the maintenance window\n- [ ] Check `zpool status` and `zpool history` on the old pool\n- [ ] Snapshot: `zfs snapshot -r tank/home@migrate`\n\n## Do\n\n- [ ] `zfs send -R tank/home@migrate | zfs receive -F newtank/home`\n- [ ] Switch the NFS exports to newtank\n\n## After\n\n- [ ] Scrub newtank and compare `zfs list` sizes\n- [ ] Announce completion\n";
const UPGRADE: &str = "---\ntitle: Upgrade the file servers to Debian 13\ntags: [debian, upgrade]\nsystems: [files1, files2]\n---\n# Upgrade the file servers to Debian 13\n\n- [ ] Read the release notes\n- [ ] Upgrade files2 (the standby) first\n- [ ] Fail over, upgrade files1\n- [ ] Check NFS and Samba clients\n";

/// The demo's history, oldest first.
pub const STEPS: &[Step] = &[
    Step { when: "2014-03-10T10:00:00+01:00", who: ALICE, write: &[("build/mailhost.md", MAILHOST_2014)], args: &["commit", "build/mailhost", "-m", "mailhost build instructions"] },
    Step { when: "2015-01-20T14:30:00+01:00", who: BOB, write: &[("howto/restore-from-backup.md", RESTORE_2015)], args: &["commit", "howto/restore-from-backup", "-m", "how to restore a file with Amanda"] },
    Step { when: "2015-02-02T09:00:00+01:00", who: ALICE, write: &[("checklists/fs-migration.md", FS_MIGRATION)], args: &["commit", "checklists/fs-migration", "-m", "checklist for the /home migration"] },
    Step { when: "2015-02-03T10:00:00+01:00", who: ALICE, write: &[], args: &["checklist", "tick", "fs-migration"] },
    Step { when: "2015-02-09T11:00:00+01:00", who: ALICE, write: &[], args: &["checklist", "tick", "fs-migration", "zpool history", "--note", "old pool healthy, last scrub 2015-02-01"] },
    Step { when: "2015-02-12T08:00:00+01:00", who: BOB, write: &[], args: &["checklist", "tick", "fs-migration", "snapshot"] },
    Step { when: "2015-02-13T22:00:00+01:00", who: BOB, write: &[], args: &["checklist", "tick", "fs-migration", "zfs send"] },
    Step { when: "2015-02-14T09:00:00+01:00", who: BOB, write: &[], args: &["checklist", "tick", "fs-migration", "NFS exports"] },
    Step { when: "2015-02-14T12:00:00+01:00", who: ALICE, write: &[], args: &["checklist", "tick", "fs-migration", "scrub"] },
    Step { when: "2015-02-14T17:00:00+01:00", who: ALICE, write: &[], args: &["checklist", "archive", "fs-migration", "--tag", "migration", "--force"] },
    Step { when: "2018-06-05T16:00:00+02:00", who: BOB, write: &[("build/mailhost.md", MAILHOST_2018)], args: &["commit", "build/mailhost", "-m", "mailhost: DKIM signing with opendkim"] },
    Step { when: "2019-09-17T13:00:00+02:00", who: ALICE, write: &[("howto/restore-from-backup.md", RESTORE_2019)], args: &["commit", "howto/restore-from-backup", "-m", "backups moved from Amanda to restic"] },
    Step { when: "2026-11-20T09:00:00+01:00", who: BOB, write: &[("checklists/debian13-upgrade.md", UPGRADE)], args: &["commit", "checklists/debian13-upgrade", "-m", "checklist for the Debian 13 upgrade"] },
    Step { when: "2026-11-24T10:00:00+01:00", who: BOB, write: &[], args: &["checklist", "tick", "debian13-upgrade"] },
    Step { when: "2026-11-25T10:00:00+01:00", who: BOB, write: &[], args: &["index"] },
];

/// The searches the tour shows: a title, then the arguments after `worklog`.
pub const SEARCHES: &[(&str, &[&str])] = &[
    ("A phrase, across punctuation:", &["search", "\"write intent bitmap\""]),
    ("A vague memory: a migration, around February 2015:", &["search", "--around", "feb 2015", "migration"]),
    ("Everything tagged zfs:", &["search", "tag:zfs"]),
    ("Text that only an old version has (Amanda was replaced by restic in 2019):", &["search", "amanda", "--all-versions"]),
    ("What happened around 14 February 2015:", &["timeline", "--around", "2015-02-14", "--window", "1w"]),
];
