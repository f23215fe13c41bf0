/*
 * Table definitions for the peers of `make bench`, taken from the feed
 * table (hd_feeds) rather than written by hand, so that the peers load the
 * same columns under the same keys as hedui.
 *
 *     schema sqlite FILE.csv...   CREATE TABLE statements for sqlite3
 *     schema duckdb FILE.csv...   "feed<TAB>file<TAB>key,key<TAB>types"
 *                                 lines for bench/duckdb_load.mjs
 *
 * FILE is a delivery's <feed>.csv: the feed is its name without ".csv".
 * The columns are those of the file's header line, in the file's order
 * (the standard lets a department order them as it likes, and `.import`
 * maps fields by position); the key columns are the feed's key columns.
 *
 * SQLite tables are WITHOUT ROWID with the feed key as PRIMARY KEY: one
 * B-tree in key order, the closest match to hedui's feed store, which keeps
 * each record under its key in LMDB. `.import` stores an empty field as ''
 * rather than NULL, so the nullable key column (tax_income.payer) holds ''
 * for a null payer and the NOT NULL that WITHOUT ROWID puts on key columns
 * holds: a null payer is one value of the key, and two rows with a null
 * payer and otherwise equal keys conflict.
 *
 * For DuckDB the types are given to read_csv rather than sniffed: the
 * sniffer guesses from a sample, and a guess such as BIGINT for a pid
 * column whose sample holds no 'X' check character fails the whole load
 * later on. The types follow the feed table as hedui keeps the values:
 * dates as DATE, money and area as DECIMAL(18,2), pct as SMALLINT,
 * everything else (pid, uscc, region, period, code, text) as VARCHAR.
 */
#include <hedui/feed.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCHEMA_MAX_COLUMNS 64

typedef struct header {
    char line[4096];
    const char *names[SCHEMA_MAX_COLUMNS];
    int count;
} header;

/* Read and split the header line of `path`. Column names are plain
 * identifiers in the standard, so a split on commas is enough; a quoted
 * name loses its quotes. */
static int read_header(header *out, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "schema: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!fgets(out->line, sizeof(out->line), f)) {
        fprintf(stderr, "schema: %s has no header line\n", path);
        fclose(f);
        return -1;
    }
    fclose(f);

    char *p = out->line;
    if (!strncmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    p[strcspn(p, "\r\n")] = '\0';
    out->count = 0;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        size_t len = strlen(p);
        if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
            p[len - 1] = '\0';
            p++;
        }
        if (out->count == SCHEMA_MAX_COLUMNS) {
            fprintf(stderr, "schema: %s: too many columns\n", path);
            return -1;
        }
        out->names[out->count++] = p;
        if (!comma)
            break;
        p = comma + 1;
    }
    return 0;
}

/* The feed a file holds, from its name: ".../tax_income.csv". */
static const hd_feed *feed_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len < 5 || strcmp(base + len - 4, ".csv"))
        return NULL;
    return hd_feed_find_n(base, len - 4);
}

static const char *duckdb_type(hd_type type)
{
    switch (type) {
    case HD_TYPE_DATE:
        return "DATE";
    case HD_TYPE_MONEY:
    case HD_TYPE_AREA:
        return "DECIMAL(18,2)";
    case HD_TYPE_PCT:
        return "SMALLINT";
    default:
        return "VARCHAR";
    }
}

/* read_csv's types= argument: {'col': 'TYPE', ...} for the header's
 * columns that the feed defines (others are left to the sniffer). */
static void print_duckdb_types(const hd_feed *feed, const header *h)
{
    bool first = true;
    printf("{");
    for (int i = 0; i < h->count; i++) {
        int c = hd_feed_column(feed, h->names[i]);
        if (c < 0)
            continue;
        printf("%s'%s': '%s'", first ? "" : ",", h->names[i],
               duckdb_type(feed->columns[c].type));
        first = false;
    }
    printf("}");
}

static bool in_header(const header *h, const char *name)
{
    for (int i = 0; i < h->count; i++)
        if (!strcmp(h->names[i], name))
            return true;
    return false;
}

/* The feed's key columns, comma-separated, quoted for SQL or not. Key
 * columns missing from the header are left out (with a warning): a
 * nullable column may be absent, and is then null on every row. */
static void print_keys(const hd_feed *feed, const header *h, bool quote,
                       const char *path)
{
    bool first = true;
    for (int i = 0; i < feed->column_count; i++) {
        const hd_column *c = &feed->columns[i];
        if (!c->key)
            continue;
        if (!in_header(h, c->name)) {
            fprintf(stderr, "schema: %s: key column %s not in the header\n",
                    path, c->name);
            continue;
        }
        printf(quote ? "%s\"%s\"" : "%s%s", first ? "" : ",", c->name);
        first = false;
    }
}

int main(int argc, char **argv)
{
    bool sqlite;
    bool seen[256] = {false};

    if (argc < 3 || (strcmp(argv[1], "sqlite") && strcmp(argv[1], "duckdb"))) {
        fprintf(stderr, "usage: schema sqlite|duckdb FILE.csv...\n");
        return 2;
    }
    sqlite = !strcmp(argv[1], "sqlite");
    for (int i = 2; i < argc; i++) {
        const char *path = argv[i];
        const hd_feed *feed = feed_of(path);
        header h;

        if (!feed) {
            fprintf(stderr, "schema: %s: not a feed of the standard\n", path);
            return 1;
        }
        if (read_header(&h, path) < 0)
            return 1;
        if (!sqlite) {
            printf("%s\t%s\t", feed->name, path);
            print_keys(feed, &h, false, path);
            printf("\t");
            print_duckdb_types(feed, &h);
            printf("\n");
            continue;
        }
        /* several deliveries may hold the same feed: one table each */
        if (seen[feed->id])
            continue;
        seen[feed->id] = true;
        printf("CREATE TABLE \"%s\"(", feed->name);
        for (int c = 0; c < h.count; c++)
            printf("\"%s\" TEXT, ", h.names[c]);
        printf("PRIMARY KEY(");
        print_keys(feed, &h, true, path);
        printf(")) WITHOUT ROWID;\n");
    }
    return 0;
}
