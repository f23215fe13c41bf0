/*
 * A parsed application packed into a few hundred bytes, and back: a roll
 * keeps every application of a million-family roll from its first parse
 * to the moment its family is verified. hd_application is large (room
 * for HD_MAX_MEMBERS members) and parsing JSON twice costs more than the
 * rest of the verification, so neither is done.
 *
 * Layout: the fixed fields, then per member the pid (18 bytes, zeros when
 * invalid), the relation (2), and NUL-terminated raw pid (only for an
 * invalid pid) and name; texts are length-prefixed where they vary.
 */
#include "verify/dossier_int.h"

#include <stdio.h>
#include <string.h>

typedef struct packed_head {
    int32_t applied_on;
    int8_t program;
    uint8_t member_count;
    uint8_t refused;
    uint8_t refused_step;
    char region[7];
    hd_declared declared;
} packed_head;

static char *put(char *p, const void *src, size_t len)
{
    memcpy(p, src, len);
    return p + len;
}

/* A NUL-terminated text with a one-byte length first (texts of an
 * application are short: the struct bounds them). */
static char *put_text(char *p, const char *s, size_t max)
{
    size_t len = strnlen(s, max);
    *p++ = (char)(uint8_t)(len > 255 ? 255 : len);
    len = len > 255 ? 255 : len;
    p = put(p, s, len);
    *p++ = '\0';
    return p;
}

static const char *get_text(const char **p)
{
    size_t len = (uint8_t) * *p;
    const char *s = *p + 1;
    *p += len + 2;
    return s;
}

/* A packed text into a field of `size` bytes, truncated as snprintf
 * would (without its cost: a roll unpacks every application). */
static void copy_text(char *dst, size_t size, const char *s)
{
    size_t len = strlen(s);

    if (len >= size)
        len = size - 1;
    memcpy(dst, s, len);
    dst[len] = '\0';
}

static size_t text_size(const char *s, size_t max)
{
    size_t len = strnlen(s, max);
    return (len > 255 ? 255 : len) + 2;
}

size_t hd__app_packed_size(const hd_application *app)
{
    size_t n = sizeof(packed_head) +
               text_size(app->application_no, sizeof(app->application_no)) +
               text_size(app->program_name, sizeof(app->program_name)) +
               text_size(app->refused ? app->error_field : "",
                         sizeof(app->error_field)) +
               text_size(app->refused ? app->error_reason : "",
                         sizeof(app->error_reason));
    for (int m = 0; m < app->member_count; m++) {
        const hd_member *mb = &app->members[m];
        size_t name = strlen(mb->name ? mb->name : "");
        n += 20 +
             text_size(mb->pid[0] ? "" : mb->pid_raw, sizeof(mb->pid_raw)) + 2 +
             (name > 65535 ? 65535 : name) + 1;
    }
    return n;
}

char *hd__app_pack(char *out, const hd_application *app)
{
    packed_head h;
    char *p = out;

    memset(&h, 0, sizeof(h));
    h.applied_on = app->applied_on;
    h.program = (int8_t)app->program;
    h.member_count = (uint8_t)app->member_count;
    h.refused = app->refused;
    h.refused_step = (uint8_t)app->refused_step;
    memcpy(h.region, app->region, sizeof(h.region));
    h.declared = app->declared;
    p = put(p, &h, sizeof(h));
    p = put_text(p, app->application_no, sizeof(app->application_no));
    p = put_text(p, app->program_name, sizeof(app->program_name));
    p = put_text(p, app->refused ? app->error_field : "",
                 sizeof(app->error_field));
    p = put_text(p, app->refused ? app->error_reason : "",
                 sizeof(app->error_reason));
    for (int m = 0; m < app->member_count; m++) {
        const hd_member *mb = &app->members[m];
        const char *name = mb->name ? mb->name : "";
        p = put(p, mb->pid, 18);
        p = put(p, mb->relation, 2);
        p = put_text(p, mb->pid[0] ? "" : mb->pid_raw, sizeof(mb->pid_raw));
        /* Names may be longer than 255 bytes: two-byte length. */
        size_t len = strlen(name);
        len = len > 65535 ? 65535 : len;
        *p++ = (char)(len & 0xff);
        *p++ = (char)(len >> 8);
        p = put(p, name, len);
        *p++ = '\0';
    }
    return p;
}

void hd__app_unpack(hd_application *app, const char *packed)
{
    const char *p = packed;
    packed_head h;

    memcpy(&h, p, sizeof(h));
    p += sizeof(h);
    /* Only the fields read are reset: the member array is large. */
    app->applied_on = h.applied_on;
    app->program = h.program;
    app->member_count = h.member_count;
    app->refused = h.refused;
    app->refused_step = h.refused_step;
    memcpy(app->region, h.region, sizeof(app->region));
    app->declared = h.declared;
    app->names = NULL; /* the names stay in the packed copy */
    copy_text(app->application_no, sizeof(app->application_no), get_text(&p));
    copy_text(app->program_name, sizeof(app->program_name), get_text(&p));
    copy_text(app->error_field, sizeof(app->error_field), get_text(&p));
    copy_text(app->error_reason, sizeof(app->error_reason), get_text(&p));
    for (int m = 0; m < h.member_count; m++) {
        hd_member *mb = &app->members[m];
        size_t len;
        memcpy(mb->pid, p, 18);
        mb->pid[18] = '\0';
        memcpy(mb->relation, p + 18, 2);
        mb->relation[2] = '\0';
        p += 20;
        copy_text(mb->pid_raw, sizeof(mb->pid_raw), get_text(&p));
        len = (size_t)(uint8_t)p[0] | (size_t)(uint8_t)p[1] << 8;
        mb->name = p + 2;
        p += 2 + len + 1;
    }
}
