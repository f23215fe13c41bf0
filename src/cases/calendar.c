/*
 * The Chinese working-day calendar: Monday to Friday, less the public
 * holidays, plus the weekend days worked in exchange (调休), as the State
 * Council's notice for each year sets them (data/calendar/YYYY.txt).
 * A year is a bitmap of its days; a year not shipped counts Monday to
 * Friday and makes the answer provisional.
 */
#include <hedui/cases.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAL_MAX_YEARS 64

typedef struct cal_year {
    int year;
    uint8_t working[46]; /* bit per day of the year (0 = 1 January) */
} cal_year;

struct hd_calendar {
    int count;
    cal_year years[CAL_MAX_YEARS]; /* sorted by year */
};

/* 1970-01-01 was a Thursday: 0 is Monday, 6 Sunday. */
static int weekday(int32_t date)
{
    int r = (int)(((int64_t)date + 3) % 7);
    return r < 0 ? r + 7 : r;
}

static int32_t jan1(int year)
{
    int32_t d = 0;
    hd_date_from_ymd(&d, year, 1, 1);
    return d;
}

static const cal_year *find_year(const hd_calendar *cal, int year)
{
    for (int i = 0; cal && i < cal->count; i++)
        if (cal->years[i].year == year)
            return &cal->years[i];
    return NULL;
}

static void set_day(cal_year *y, int32_t date, bool working)
{
    int32_t i = date - jan1(y->year);
    if (working)
        y->working[i / 8] |= (uint8_t)(1u << (i % 8));
    else
        y->working[i / 8] &= (uint8_t) ~(1u << (i % 8));
}

static int line_error(hd_error *err, const char *name, int line,
                      const char *rule)
{
    hd_error_set(err, HD_EDATA, "%s", rule);
    hd_error_at(err, name, line, 0, NULL);
    return HD_EDATA;
}

/* One date of a line, in the year being read. */
static int take_date(int32_t *out, const char **p, const char *end, int year,
                     const char *name, int line, hd_error *err)
{
    int y, m, d;
    while (*p < end && **p == ' ')
        (*p)++;
    if (end - *p < 10 || hd_date_parse(out, *p, 10, NULL))
        return line_error(err, name, line, "expected a date YYYY-MM-DD");
    hd_date_to_ymd(*out, &y, &m, &d);
    if (y != year)
        return line_error(err, name, line, "a date outside the file's year");
    *p += 10;
    return 0;
}

int hd_calendar_add_year(hd_calendar **cal, const char *name, const char *text,
                         size_t len, hd_error *err)
{
    const char *p = text, *end = text + len;
    cal_year y = {0};
    int line = 0, rc;
    bool created = false;

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *stop = eol ? eol : end;
        const char *hash = memchr(p, '#', (size_t)(stop - p));
        const char *q = p;
        int32_t from, to;
        bool working;

        line++;
        if (hash)
            stop = hash;
        while (stop > q && (stop[-1] == ' ' || stop[-1] == '\r'))
            stop--;
        while (q < stop && q[0] == ' ')
            q++;
        p = eol ? eol + 1 : end;
        if (q == stop)
            continue;
        if (stop - q > 5 && !memcmp(q, "year ", 5)) {
            char digits[8] = {0};
            if (y.year || stop - q != 9)
                return line_error(err, name, line,
                                  "one 'year YYYY' line, first");
            memcpy(digits, q + 5, 4);
            for (int i = 0; i < 4; i++)
                if (!hd_is_digit((unsigned char)digits[i]))
                    return line_error(err, name, line, "bad year");
            y.year = (int)strtol(digits, NULL, 10);
            if (y.year < 1971 || y.year > 9998)
                return line_error(err, name, line, "bad year");
            /* Monday to Friday, before the notice's changes. */
            for (int32_t d = jan1(y.year); d < jan1(y.year + 1); d++)
                set_day(&y, d, weekday(d) < 5);
            continue;
        }
        if (!y.year)
            return line_error(err, name, line, "no 'year YYYY' line first");
        if (stop - q > 8 && !memcmp(q, "holiday ", 8)) {
            working = false;
            q += 8;
        } else if (stop - q > 8 && !memcmp(q, "workday ", 8)) {
            working = true;
            q += 8;
        } else {
            return line_error(err, name, line,
                              "expected 'holiday DATE [DATE]' or 'workday "
                              "DATE'");
        }
        if ((rc = take_date(&from, &q, stop, y.year, name, line, err)) != 0)
            return rc;
        to = from;
        while (q < stop && *q == ' ')
            q++;
        if (q < stop && !working &&
            (rc = take_date(&to, &q, stop, y.year, name, line, err)) != 0)
            return rc;
        if (q != stop || to < from)
            return line_error(err, name, line,
                              working ? "one date per workday line"
                                      : "a range FROM TO with FROM <= TO");
        if (working && weekday(from) < 5)
            return line_error(err, name, line,
                              "a make-up working day is a weekend day");
        for (int32_t d = from; d <= to; d++)
            set_day(&y, d, working);
    }
    if (!y.year)
        return line_error(err, name, line, "no 'year YYYY' line");
    if (!*cal) {
        if (!(*cal = hd_calloc(1, sizeof(**cal))))
            return hd_error_set(err, HD_ENOMEM, "out of memory");
        created = true;
    }
    if (find_year(*cal, y.year) || (*cal)->count == CAL_MAX_YEARS) {
        if (created) {
            hd_free(*cal);
            *cal = NULL;
        }
        return line_error(err, name, 0,
                          "the year is already loaded, or too many years");
    }
    {
        int i = (*cal)->count;
        while (i > 0 && (*cal)->years[i - 1].year > y.year) {
            (*cal)->years[i] = (*cal)->years[i - 1];
            i--;
        }
        (*cal)->years[i] = y;
        (*cal)->count++;
    }
    return 0;
}

static int read_file(char **out, size_t *len, const char *path, hd_error *err)
{
    FILE *f = fopen(path, "rb");
    hd_buf b;
    char chunk[4096];
    size_t n;

    if (!f)
        return hd_error_set(err, HD_EIO, "%s: %s", path, strerror(errno));
    hd_buf_init(&b, 1 << 20);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        hd_buf_append(&b, chunk, n);
    if (ferror(f) || hd_buf_error(&b)) {
        fclose(f);
        hd_buf_release(&b);
        return hd_error_set(err, HD_EIO, "%s: cannot be read", path);
    }
    fclose(f);
    *out = hd_buf_detach(&b, len);
    if (!*out) {
        hd_buf_release(&b);
        return hd_error_set(err, HD_ENOMEM, "out of memory");
    }
    return 0;
}

static bool year_file(const char *name)
{
    if (strlen(name) != 8 || strcmp(name + 4, ".txt"))
        return false;
    for (int i = 0; i < 4; i++)
        if (!hd_is_digit((unsigned char)name[i]))
            return false;
    return true;
}

int hd_calendar_load(hd_calendar **out, const char *dir, hd_error *err)
{
    hd_calendar *cal = NULL;
    DIR *d = opendir(dir);
    struct dirent *e;
    int rc = 0;

    *out = NULL;
    if (!d)
        return hd_error_set(err, HD_EIO, "%s: %s", dir, strerror(errno));
    while (rc == 0 && (e = readdir(d)) != NULL) {
        char path[4096];
        char *text = NULL;
        size_t len = 0;
        if (!year_file(e->d_name))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        rc = read_file(&text, &len, path, err);
        if (rc == 0)
            rc = hd_calendar_add_year(&cal, path, text, len, err);
        hd_free(text);
    }
    closedir(d);
    if (rc == 0 && !cal)
        rc = hd_error_set(err, HD_ENOTFOUND, "%s: no calendar year", dir);
    if (rc) {
        hd_calendar_free(cal);
        return rc;
    }
    *out = cal;
    return 0;
}

void hd_calendar_free(hd_calendar *cal)
{
    hd_free(cal);
}

bool hd_calendar_is_working_day(const hd_calendar *cal, int32_t date,
                                bool *known)
{
    int year, month, day;
    const cal_year *y;

    hd_date_to_ymd(date, &year, &month, &day);
    y = find_year(cal, year);
    if (known)
        *known = y != NULL;
    if (!y)
        return weekday(date) < 5;
    int32_t i = date - jan1(year);
    return (y->working[i / 8] >> (i % 8)) & 1;
}

int hd_calendar_add_working_days(int32_t *out, bool *provisional,
                                 const hd_calendar *cal, int32_t from, int days,
                                 hd_error *err)
{
    int32_t d = from;
    bool guessed = false;

    if (days < 0 || days > 3650)
        return hd_error_set(err, HD_EINVAL,
                            "working days: from 0 to 3650, not %d", days);
    while (days > 0) {
        bool known;
        if (d >= INT32_MAX - 1)
            return hd_error_set(err, HD_EOVERFLOW, "date out of range");
        d++;
        if (hd_calendar_is_working_day(cal, d, &known))
            days--;
        if (!known)
            guessed = true;
    }
    *out = d;
    if (provisional)
        *provisional = guessed;
    return 0;
}

int32_t hd_cases_today(int64_t now)
{
    int64_t t = now + 8 * 3600;
    return (int32_t)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
}
