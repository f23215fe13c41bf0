/* A bump arena (h2o's per-request pool): many small allocations, one free. */
#include <hedui/base.h>

#include <string.h>

struct hd_arena_block {
    hd_arena_block *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char data[];
};

void hd_arena_init(hd_arena *arena, size_t block_size)
{
    arena->head = NULL;
    arena->block_size = block_size ? block_size : 64 * 1024;
}

void *hd_arena_alloc(hd_arena *arena, size_t size)
{
    hd_arena_block *b = arena->head;
    size_t aligned, total;

    if (__builtin_add_overflow(size, 15, &aligned))
        return NULL;
    aligned &= ~(size_t)15;
    if (!b || b->size - b->used < aligned) {
        size_t data_size =
            aligned > arena->block_size ? aligned : arena->block_size;
        if (__builtin_add_overflow(sizeof(*b), data_size, &total))
            return NULL;
        b = hd_malloc(total);
        if (!b)
            return NULL;
        b->size = data_size;
        b->used = 0;
        b->next = arena->head;
        arena->head = b;
    }
    b->used += aligned;
    return b->data + b->used - aligned;
}

char *hd_arena_strndup(hd_arena *arena, const char *s, size_t len)
{
    char *p = hd_arena_alloc(arena, len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void hd_arena_reset(hd_arena *arena)
{
    hd_arena_block *b = arena->head;

    if (!b)
        return;
    /* Keep the oldest block, which is the last in the list. */
    while (b->next) {
        hd_arena_block *next = b->next;
        hd_free(b);
        b = next;
    }
    b->used = 0;
    arena->head = b;
}

void hd_arena_release(hd_arena *arena)
{
    hd_arena_block *b = arena->head;
    while (b) {
        hd_arena_block *next = b->next;
        hd_free(b);
        b = next;
    }
    arena->head = NULL;
}
