/*
 * Copies of the feed store for the front-end servers of a node: the
 * snapshot the ingest host writes after a delivery, and its install on a
 * front-end as a new generation behind a symbolic link (store.h,
 * docs/deploy.md).
 *
 * Both publish with rename(2), which replaces its target atomically: the
 * snapshot renames a finished data file over the previous one, the
 * install renames a new link over the store's path. Everything else is
 * written under a temporary name first and synced before the rename, so
 * a crash leaves the previous state, plus a temporary that the next run
 * clears.
 */
#include "store/store_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_LEN 4096
#define NAME_LEN 256

/* ---------------------------------------------------------------- paths */

static int join(char *out, const char *a, const char *b, hd_error *err)
{
    int n = snprintf(out, PATH_LEN, "%s/%s", a, b);
    if (n < 0 || n >= PATH_LEN)
        return hd_error_set(err, HD_EINVAL, "path too long: %s/%s", a, b);
    return 0;
}

/* Split `path` into the directory holding it and its last name, trailing
 * slashes ignored: "a/b/" gives "a" and "b", "b" gives "." and "b". */
static int split(char *parent, char *base, const char *path, hd_error *err)
{
    size_t len = strlen(path), start;

    while (len > 1 && path[len - 1] == '/')
        len--;
    start = len;
    while (start > 0 && path[start - 1] != '/')
        start--;
    if (len - start == 0 || len - start >= NAME_LEN ||
        (len - start == 1 && path[start] == '.') ||
        (len - start == 2 && !strncmp(path + start, "..", 2)) ||
        start >= PATH_LEN)
        return hd_error_set(err, HD_EINVAL, "bad directory name: %s", path);
    memcpy(base, path + start, len - start);
    base[len - start] = '\0';
    if (start == 0) {
        memcpy(parent, ".", 2);
    } else if (start == 1) {
        memcpy(parent, "/", 2);
    } else {
        memcpy(parent, path, start - 1);
        parent[start - 1] = '\0';
    }
    return 0;
}

static int sync_dir(const char *path, hd_error *err)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = fd < 0 ? -1 : fsync(fd);

    if (fd >= 0)
        close(fd);
    if (rc)
        return hd_error_set(err, HD_EIO, "cannot sync %s: %s", path,
                            strerror(errno));
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) && errno != ENOENT ? -1 : 0;
}

/* rm -r, for temporaries and old generations: a directory of LMDB files. */
static void remove_tree(const char *path)
{
    if (nftw(path, remove_entry, 8, FTW_DEPTH | FTW_PHYS) && errno != ENOENT)
        hd_log(HD_LOG_WARN, "event=feedstore_remove_failed path=%s errno=%d",
               path, errno);
}

/* A copy's data file: owner-only like the store itself (LMDB's copy
 * creates it for everyone the umask allows), on disk, and its size. */
static int seal_data_file(const char *dir, int64_t *bytes, hd_error *err)
{
    char path[PATH_LEN];
    struct stat st;
    int fd, rc;

    rc = join(path, dir, "data.mdb", err);
    if (rc)
        return rc;
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0 || fchmod(fd, 0600) || fsync(fd) || fstat(fd, &st)) {
        rc = hd_error_set(err, HD_EIO, "cannot write %s: %s", path,
                          strerror(errno));
        if (fd >= 0)
            close(fd);
        return rc;
    }
    close(fd);
    if (bytes)
        *bytes = (int64_t)st.st_size;
    return 0;
}

/* An environment on a copy nobody else can see yet: no lock file. */
static int open_private(MDB_env **out, const char *dir, unsigned flags)
{
    int rc = mdb_env_create(out);

    if (rc)
        return rc;
    rc = mdb_env_set_maxdbs(*out, HD__FS_MAX_DBS);
    if (rc == 0)
        rc = mdb_env_open(*out, dir, flags | MDB_NOLOCK, 0600);
    if (rc) {
        mdb_env_close(*out);
        *out = NULL;
    }
    return rc;
}

/* ------------------------------------------------------------- snapshot */

/* Leave the pending blobs out of a fresh copy, and a front-end's mark
 * if the store copied was an installed one (where a snapshot is
 * installed decides that), and count its deliveries. */
static int finish_copy(hd_fs_snapshot_info *out, const char *dir, hd_error *err)
{
    MDB_val mark = {HD__FS_INSTALLED_KEY_LEN, (void *)HD__FS_INSTALLED_KEY};
    MDB_env *env = NULL;
    MDB_txn *txn = NULL;
    MDB_dbi dbi;
    MDB_stat st;
    bool changed = false;
    int rc = open_private(&env, dir, 0);

    if (rc == 0)
        rc = mdb_txn_begin(env, NULL, 0, &txn);
    if (rc == 0)
        rc = mdb_dbi_open(txn, "deliveries", 0, &dbi);
    if (rc == 0)
        rc = mdb_stat(txn, dbi, &st);
    if (rc == 0 && st.ms_entries > UINT32_MAX)
        rc = MDB_CORRUPTED;
    if (rc == 0) {
        out->seq = (uint32_t)st.ms_entries;
        rc = mdb_dbi_open(txn, "pending", 0, &dbi);
    }
    if (rc == 0)
        rc = mdb_stat(txn, dbi, &st);
    if (rc == 0) {
        out->pending_omitted = (int64_t)st.ms_entries;
        if (st.ms_entries) {
            rc = mdb_drop(txn, dbi, 0);
            changed = true;
        }
    }
    if (rc == 0)
        rc = mdb_dbi_open(txn, "meta", 0, &dbi);
    if (rc == 0) {
        rc = mdb_del(txn, dbi, &mark, NULL);
        changed |= rc == 0;
        rc = rc == MDB_NOTFOUND ? 0 : rc;
    }
    if (rc == 0 && changed) {
        rc = mdb_txn_commit(txn);
        txn = NULL;
    }
    if (txn)
        mdb_txn_abort(txn);
    if (env)
        mdb_env_close(env);
    if (rc)
        return hd__fs_mdb_error(err, rc, "cannot finish the snapshot");
    return 0;
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int hd_feedstore_snapshot(hd_fs_snapshot_info *out, hd_feedstore *fs,
                          const char *out_dir, hd_error *err)
{
    char parent[PATH_LEN], base[NAME_LEN], name[NAME_LEN + 32];
    char tmp[PATH_LEN], from[PATH_LEN], to[PATH_LEN];
    bool made = false;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!fs || !out_dir)
        return hd_error_set(err, HD_EINVAL, "feed store: no snapshot path");
    rc = split(parent, base, out_dir, err);
    if (rc == 0)
        rc = hd__fs_make_dirs(out_dir, err);
    if (rc)
        return rc;
    /* Renaming the copy over the store's own data file would pull it
     * from under every process reading it. */
    if (same_file(out_dir, fs->dir))
        return hd_error_set(err, HD_EINVAL,
                            "the snapshot directory is the feed store itself");
    /* Beside out_dir, not in it: a reader copying out_dir never sees the
     * temporary, and the final rename stays on one file system. */
    snprintf(name, sizeof(name), ".%s.tmp-%ld", base, (long)getpid());
    rc = join(tmp, parent, name, err);
    if (rc)
        return rc;
    remove_tree(tmp); /* left by a process that had this pid and died */
    if (mkdir(tmp, 0700)) {
        rc = hd_error_set(err, HD_EIO, "cannot create %s: %s", tmp,
                          strerror(errno));
        goto out;
    }
    made = true;
    rc = mdb_env_copy2(fs->env, tmp, MDB_CP_COMPACT);
    if (rc) {
        rc = hd__fs_mdb_error(err, rc, "cannot copy the store");
        goto out;
    }
    rc = finish_copy(out, tmp, err);
    if (rc == 0)
        rc = seal_data_file(tmp, &out->bytes, err);
    if (rc == 0)
        rc = join(from, tmp, "data.mdb", err);
    if (rc == 0)
        rc = join(to, out_dir, "data.mdb", err);
    if (rc)
        goto out;
    if (rename(from, to)) {
        rc = hd_error_set(err, HD_EIO, "cannot rename the snapshot to %s: %s",
                          to, strerror(errno));
        goto out;
    }
    rc = sync_dir(out_dir, err);
out:
    if (made)
        remove_tree(tmp);
    return rc;
}

/* -------------------------------------------------------------- install */

/* The generations of the store at parent/base: parent/base.gen. */
typedef struct install {
    char parent[PATH_LEN];
    char base[NAME_LEN];
    char dir[PATH_LEN];      /* parent/base, the link */
    char gens[PATH_LEN];     /* parent/base.gen */
    char tmp[PATH_LEN];      /* the new generation while it is made */
    char previous[NAME_LEN]; /* generation the link named, "" if none */
    hd_feedstore *cur;       /* the store installed now, if any */
    hd_feedstore *next;      /* the copy being installed */
    bool replace_dir;        /* `dir` is an empty store's directory */
    int lock_fd;
    hd_error *err;
} install;

static int count_pending(const char *id, const void *blob, size_t len,
                         void *payload)
{
    (void)id;
    (void)blob;
    (void)len;
    (*(int64_t *)payload)++;
    return 0;
}

/* Copy the snapshot into ins->tmp and open it there. */
static int take_snapshot(install *ins, const char *snapshot_dir)
{
    char data[PATH_LEN];
    MDB_env *env = NULL;
    int64_t pending = 0;
    struct stat st;
    int rc;

    rc = join(data, snapshot_dir, "data.mdb", ins->err);
    if (rc)
        return rc;
    if (stat(data, &st) || !S_ISREG(st.st_mode))
        return hd_error_set(ins->err, HD_EDATA,
                            "no snapshot in %s: it has no data.mdb",
                            snapshot_dir);
    if (mkdir(ins->tmp, 0700))
        return hd_error_set(ins->err, HD_EIO, "cannot create %s: %s", ins->tmp,
                            strerror(errno));
    /* Read-only and without a lock file: the snapshot directory may be
     * one the operator cannot or should not write. A plain copy, since
     * the snapshot is compact already. */
    rc = open_private(&env, snapshot_dir, MDB_RDONLY);
    if (rc)
        return hd_error_set(ins->err, HD_EDATA, "no snapshot in %s: %s",
                            snapshot_dir, mdb_strerror(rc));
    rc = mdb_env_copy2(env, ins->tmp, 0);
    mdb_env_close(env);
    if (rc)
        return hd__fs_mdb_error(ins->err, rc, "cannot copy the snapshot");
    rc = seal_data_file(ins->tmp, NULL, ins->err);
    if (rc)
        return rc;
    rc = hd_feedstore_open(&ins->next, ins->tmp, ins->err);
    if (rc == HD_ESTORE) {
        char msg[HD_ERROR_MSG_MAX] = "";
        if (ins->err)
            memcpy(msg, ins->err->msg, sizeof(msg));
        return hd_error_set(ins->err, HD_EDATA, "no snapshot in %s: %s",
                            snapshot_dir, msg);
    }
    if (rc == 0)
        rc = hd_feedstore_pending(ins->next, count_pending, &pending, ins->err);
    if (rc == 0 && pending)
        rc = hd_error_set(ins->err, HD_EDATA,
                          "%s is not a snapshot: it holds pending deliveries "
                          "(make snapshots with `hedui feeds snapshot`)",
                          snapshot_dir);
    return rc;
}

/* Is every delivery of the installed store in the copy, at its seq? */
static int check_delivery(const hd_fs_delivery *d, void *payload)
{
    install *ins = payload;
    hd_fs_delivery n;
    int rc = hd_feedstore_delivery(&n, ins->next, d->delivery_id, ins->err);

    if (rc == HD_ENOTFOUND)
        return hd_error_set(ins->err, HD_ECONFLICT,
                            "the snapshot lacks delivery %s (seq %u here): it "
                            "is not a later copy of this node's feed store",
                            d->delivery_id, d->seq);
    if (rc)
        return rc;
    if (n.seq != d->seq || n.as_of != d->as_of || n.snapshot != d->snapshot ||
        n.loaded_at != d->loaded_at || n.feed_mask != d->feed_mask ||
        strcmp(n.department, d->department))
        return hd_error_set(ins->err, HD_ECONFLICT,
                            "delivery %s differs: seq %u here, seq %u in the "
                            "snapshot; it is not a later copy of this node's "
                            "feed store",
                            d->delivery_id, d->seq, n.seq);
    return 0;
}

static int check_superset(install *ins, uint32_t cur_seq, uint32_t next_seq)
{
    if (next_seq < cur_seq)
        return hd_error_set(ins->err, HD_ECONFLICT,
                            "the snapshot is older than the installed feed "
                            "store: it holds deliveries up to seq %u, the "
                            "installed one up to seq %u",
                            next_seq, cur_seq);
    return hd_feedstore_deliveries(ins->cur, check_delivery, ins, ins->err);
}

static bool only_lmdb_files(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    bool ok = d != NULL;

    while (ok && (e = readdir(d)))
        ok = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
             !strcmp(e->d_name, "data.mdb") || !strcmp(e->d_name, "lock.mdb");
    if (d)
        closedir(d);
    return ok;
}

/* A directory at the store's path: one a process made by opening the
 * store before the first install (no deliveries) may be replaced; one
 * holding deliveries was loaded in place and is not ours to replace. */
static int check_directory(install *ins)
{
    uint32_t seq = 0;
    int rc = 0;

    if (!only_lmdb_files(ins->dir))
        return hd_error_set(ins->err, HD_EEXISTS,
                            "%s is a directory holding other files, not a "
                            "feed store installed by `hedui feeds install`",
                            ins->dir);
    if (hd_feedstore_open(&ins->cur, ins->dir, ins->err) == 0)
        rc = hd_feedstore_latest(&seq, ins->cur, ins->err);
    else
        rc = hd_error_set(ins->err, HD_EEXISTS,
                          "%s is a directory that is not a feed store",
                          ins->dir);
    hd_feedstore_free(ins->cur);
    ins->cur = NULL;
    if (rc)
        return rc;
    if (seq)
        return hd_error_set(ins->err, HD_EEXISTS,
                            "%s is a feed store loaded in place (%u "
                            "deliveries), not installed: move it away first",
                            ins->dir, seq);
    ins->replace_dir = true;
    return 0;
}

/* Move the empty store check_directory accepted into the generations,
 * where prune() removes it; processes that have it open keep it. */
static int move_directory_aside(install *ins)
{
    char aside[PATH_LEN], name[NAME_LEN];
    int rc;

    snprintf(name, sizeof(name), "replaced-%ld", (long)getpid());
    rc = join(aside, ins->gens, name, ins->err);
    if (rc)
        return rc;
    remove_tree(aside);
    if (rename(ins->dir, aside))
        return hd_error_set(ins->err, HD_EIO, "cannot move %s aside: %s",
                            ins->dir, strerror(errno));
    return 0;
}

/* Open what `dir` holds now, if anything. */
static int open_current(install *ins)
{
    char target[PATH_LEN], resolved[PATH_LEN];
    struct stat st;
    ssize_t n;
    const char *slash;

    if (lstat(ins->dir, &st)) {
        if (errno == ENOENT)
            return 0;
        return hd_error_set(ins->err, HD_EIO, "cannot read %s: %s", ins->dir,
                            strerror(errno));
    }
    if (S_ISDIR(st.st_mode))
        return check_directory(ins);
    if (!S_ISLNK(st.st_mode))
        return hd_error_set(ins->err, HD_EEXISTS,
                            "%s exists and is not a feed store", ins->dir);
    n = readlink(ins->dir, target, sizeof(target) - 1);
    if (n < 0)
        return hd_error_set(ins->err, HD_EIO, "cannot read the link %s: %s",
                            ins->dir, strerror(errno));
    target[n] = '\0';
    /* The generation it names, when it is one of ours: kept as the
     * previous generation for processes that have just followed the
     * link. */
    slash = strrchr(target, '/');
    if (slash && (size_t)(slash - target) == strlen(ins->base) + 4 &&
        !strncmp(target, ins->base, strlen(ins->base)) &&
        !strncmp(target + strlen(ins->base), ".gen", 4))
        snprintf(ins->previous, sizeof(ins->previous), "%s", slash + 1);
    /* A link to nothing holds no deliveries to keep. */
    if (target[0] == '/')
        snprintf(resolved, sizeof(resolved), "%s", target);
    else if (join(resolved, ins->parent, target, ins->err))
        return HD_EINVAL;
    if (stat(resolved, &st) || !S_ISDIR(st.st_mode))
        return 0;
    return hd_feedstore_open(&ins->cur, ins->dir, ins->err);
}

/* The copy refuses loads from now on (see HD__FS_INSTALLED_KEY). */
static int mark_installed(install *ins)
{
    MDB_val k = {HD__FS_INSTALLED_KEY_LEN, (void *)HD__FS_INSTALLED_KEY};
    MDB_val v = {1, (void *)"1"};
    MDB_txn *txn = NULL;
    int rc = hd__fs_txn_begin(ins->next, true, &txn, ins->err);

    if (rc)
        return rc;
    rc = mdb_put(txn, ins->next->meta, &k, &v, 0);
    if (rc == 0)
        rc = mdb_txn_commit(txn);
    else
        mdb_txn_abort(txn);
    if (rc)
        return hd__fs_mdb_error(ins->err, rc, "cannot mark the copy");
    return 0;
}

/* Point the link at the new generation: a new link under a temporary
 * name, renamed over the old one. */
static int switch_link(install *ins, const char *generation)
{
    char target[PATH_LEN], tmp[PATH_LEN], name[NAME_LEN + 32];
    int n;

    /* Relative, so that the node's files may be moved or mounted
     * elsewhere whole. */
    n = snprintf(target, sizeof(target), "%s.gen/%s", ins->base, generation);
    if (n < 0 || (size_t)n >= sizeof(target))
        return hd_error_set(ins->err, HD_EINVAL, "path too long");
    snprintf(name, sizeof(name), ".%s.link-%ld", ins->base, (long)getpid());
    if (join(tmp, ins->parent, name, ins->err))
        return HD_EINVAL;
    unlink(tmp);
    if (symlink(target, tmp))
        return hd_error_set(ins->err, HD_EIO, "cannot create the link %s: %s",
                            tmp, strerror(errno));
    if (rename(tmp, ins->dir)) {
        int e = errno;
        unlink(tmp);
        return hd_error_set(ins->err, HD_EIO, "cannot replace %s: %s", ins->dir,
                            strerror(e));
    }
    return sync_dir(ins->parent, ins->err);
}

/* Remove every generation but the current and the previous one, and
 * what failed installs left (the lock is held: none is running). */
static void prune(install *ins, const char *current)
{
    char path[PATH_LEN];
    DIR *d = opendir(ins->gens);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        if (strncmp(name, "seq-", 4) && strncmp(name, "tmp-", 4) &&
            strncmp(name, "replaced-", 9))
            continue;
        if (!strcmp(name, current) || !strcmp(name, ins->previous))
            continue;
        if (join(path, ins->gens, name, NULL) == 0)
            remove_tree(path);
    }
    closedir(d);
}

static int lock_generations(install *ins)
{
    char path[PATH_LEN];
    struct stat st;
    int rc;

    if (mkdir(ins->gens, 0700) && errno != EEXIST)
        return hd_error_set(ins->err, HD_EIO, "cannot create %s: %s", ins->gens,
                            strerror(errno));
    if (stat(ins->gens, &st) || !S_ISDIR(st.st_mode))
        return hd_error_set(ins->err, HD_EIO, "%s is not a directory",
                            ins->gens);
    rc = join(path, ins->gens, ".lock", ins->err);
    if (rc)
        return rc;
    ins->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (ins->lock_fd < 0)
        return hd_error_set(ins->err, HD_EIO, "cannot open %s: %s", path,
                            strerror(errno));
    /* Waits for another install into this store to finish. */
    while (flock(ins->lock_fd, LOCK_EX))
        if (errno != EINTR)
            return hd_error_set(ins->err, HD_EIO, "cannot lock %s: %s", path,
                                strerror(errno));
    return 0;
}

int hd_feedstore_install(hd_fs_install_info *out, const char *dir,
                         const char *snapshot_dir, hd_error *err)
{
    install ins;
    char name[NAME_LEN + 32], gen[PATH_LEN];
    uint32_t cur_seq = 0, next_seq = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    memset(&ins, 0, sizeof(ins));
    ins.lock_fd = -1;
    ins.err = err;
    if (!dir || !snapshot_dir)
        return hd_error_set(err, HD_EINVAL, "feed store: no directory");
    rc = split(ins.parent, ins.base, dir, err);
    if (rc == 0)
        rc = join(ins.dir, ins.parent, ins.base, err);
    if (rc == 0) {
        snprintf(name, sizeof(name), "%s.gen", ins.base);
        rc = join(ins.gens, ins.parent, name, err);
    }
    if (rc == 0)
        rc = hd__fs_make_dirs(ins.parent, err);
    if (rc == 0)
        rc = lock_generations(&ins);
    if (rc == 0) {
        snprintf(name, sizeof(name), "tmp-%ld", (long)getpid());
        rc = join(ins.tmp, ins.gens, name, err);
    }
    if (rc)
        goto out;
    remove_tree(ins.tmp);
    rc = open_current(&ins);
    if (rc == 0)
        rc = take_snapshot(&ins, snapshot_dir);
    if (rc == 0 && ins.cur)
        rc = hd_feedstore_latest(&cur_seq, ins.cur, err);
    if (rc == 0)
        rc = hd_feedstore_latest(&next_seq, ins.next, err);
    if (rc == 0 && ins.cur)
        rc = check_superset(&ins, cur_seq, next_seq);
    if (rc)
        goto out;
    out->seq = next_seq;
    out->previous_seq = cur_seq;
    if (ins.cur && cur_seq == next_seq) {
        out->unchanged = true;
        snprintf(out->generation, sizeof(out->generation), "%.31s",
                 ins.previous);
        goto out;
    }
    rc = mark_installed(&ins);
    hd_feedstore_free(ins.next);
    ins.next = NULL;
    hd_feedstore_free(ins.cur);
    ins.cur = NULL;
    if (rc)
        goto out;
    snprintf(out->generation, sizeof(out->generation), "seq-%u", next_seq);
    rc = join(gen, ins.gens, out->generation, err);
    if (rc)
        goto out;
    /* A generation of this seq that is not the current one was left by
     * an install that failed before switching the link. */
    if (strcmp(out->generation, ins.previous))
        remove_tree(gen);
    if (rename(ins.tmp, gen)) {
        rc = hd_error_set(err, HD_EIO, "cannot rename %s: %s", ins.tmp,
                          strerror(errno));
        goto out;
    }
    rc = sync_dir(ins.gens, err);
    if (rc == 0 && ins.replace_dir)
        rc = move_directory_aside(&ins);
    if (rc == 0)
        rc = switch_link(&ins, out->generation);
    if (rc == 0)
        prune(&ins, out->generation);
out:
    hd_feedstore_free(ins.next);
    hd_feedstore_free(ins.cur);
    if (ins.tmp[0])
        remove_tree(ins.tmp);
    if (ins.lock_fd >= 0)
        close(ins.lock_fd); /* releases the lock */
    return rc;
}
