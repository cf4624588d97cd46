// SPDX-License-Identifier: GPL-2.0-only
/*
 * The page store: one slot per PAGE_SIZE of the disk, pages compressed into
 * a zsmalloc pool, same-filled pages kept as their fill value alone and
 * pages that do not compress kept whole.  Pages in RAM age while nobody
 * touches them (DEV_MARK_IDLE); writeback moves them, still compressed, to
 * the disk tier (backing.c), and the slot then names their place there.
 *
 * Locking rules:
 *  1. Every slot has a sleepable bit lock (RZS_SLOT_LOCK) in its flags
 *     word: operations on different slots never share a lock, and a slot's
 *     owner may sleep (GFP_NOIO allocation, the stream mutex).
 *  2. Everything a slot holds (handle, size, state flags) and every gauge
 *     it contributes to (pages stored, same, huge, compressed bytes) changes
 *     only under its lock, so a gauge never goes below zero.
 *  3. Order: device init_lock (control plane only, never on the I/O path),
 *     then a slot lock, then a stream mutex (comp.c).  One slot lock at a
 *     time: no path holds two.
 *  4. Writes compress into the stream before they take the slot lock and
 *     publish the new object under it; reads decompress under it.
 *  5. swap_slot_free_notify runs in atomic context with swap's locks held
 *     and only ever try-locks; a miss is counted and left for the next
 *     write, discard or reset of the slot.
 *  6. RZS_SLOT_WAITERS says a task sleeps on the lock, so that an unlock
 *     without waiters (nearly every one) is one atomic operation and wakes
 *     nobody.  Other bits of the word change while a reader holds the lock
 *     (a waiter sets RZS_SLOT_WAITERS): every read of the word is
 *     READ_ONCE() and every change an atomic read-modify-write.
 *  7. Lockdep sees each slot lock as a mutex of one class (a map per slot
 *     on CONFIG_DEBUG_LOCK_ALLOC kernels only: the slot stays 16 bytes).
 *  8. Writeback holds one slot lock at a time too: it copies an object into
 *     the block it fills and marks the slot RZS_SLOT_WB_PENDING, writes the
 *     block with no slot lock held, then commits each slot whose mark is
 *     still there.  Every write, free and read of a slot clears the mark, so
 *     a page changed or used meanwhile stays in RAM; swap-in never waits
 *     for a disk write.
 *  9. The disk tier's allocator lock (backing.c) nests inside a slot lock.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/wait_bit.h>
#include <linux/zsmalloc.h>

#include "backing.h"
#include "compat.h"
#include "store.h"

/* Object size in the low bits of slot->flags: up to and including PAGE_SIZE. */
#define RZS_SLOT_SIZE_BITS	(PAGE_SHIFT + 1)
#define RZS_SLOT_SIZE_MASK	(BIT(RZS_SLOT_SIZE_BITS) - 1)

enum rzs_slot_flag {
	RZS_SLOT_LOCK = RZS_SLOT_SIZE_BITS,
	RZS_SLOT_WAITERS,	/* a task sleeps on RZS_SLOT_LOCK */
	RZS_SLOT_SAME,		/* handle is the fill value; nothing allocated */
	RZS_SLOT_HUGE,		/* stored uncompressed */
	RZS_SLOT_INCOMPRESSIBLE, /* huge: not even smaller than a page */
	/*
	 * On the disk tier: handle is the object's byte address on the
	 * backing device (block << PAGE_SHIFT | offset); an object of
	 * PAGE_SIZE there is the page itself.
	 */
	RZS_SLOT_ON_DISK,
	RZS_SLOT_WB_PENDING,	/* copied into a block being written (rule 8) */
	RZS_SLOT_AGE,		/* two bits: times marked idle since used */
	RZS_SLOT_AGE_END = RZS_SLOT_AGE + 1,
};

#define RZS_SLOT_AGE_MASK	(3UL << RZS_SLOT_AGE)
static_assert(RAMZSWAP_IDLE_AGE_MAX == 3);

/* A page compressed to at most this counts as a good compression. */
#define RZS_GOOD_COMPRESS	(PAGE_SIZE / 2)

#define RZS_ZS_GFP	(GFP_NOIO | __GFP_NOWARN | __GFP_HIGHMEM | __GFP_MOVABLE)

/* The bits that belong to the lock, not to the slot's content. */
#define RZS_SLOT_LOCK_MASK	(BIT(RZS_SLOT_LOCK) | BIT(RZS_SLOT_WAITERS))

/*
 * Replaces the @clear bits of a slot's flags word by @set in one atomic
 * step (a waiter may set RZS_SLOT_WAITERS at any time) and returns the
 * word as it was.  A successful cmpxchg is a full barrier.
 */
static unsigned long rzs_slot_update(unsigned long *word, unsigned long clear,
				     unsigned long set)
{
	unsigned long old, cur = READ_ONCE(*word);

	do {
		old = cur;
		cur = cmpxchg(word, old, (old & ~clear) | set);
	} while (cur != old);
	return old;
}

/*
 * Waiters announce themselves in RZS_SLOT_WAITERS after they are on the
 * wait queue and before they try the lock again, so an unlock that clears
 * the lock and finds the bit clear cannot leave anyone asleep.  The wake
 * function matches the word only (wake_up_var), not the lock bit: a third
 * task may take the lock between the unlock and the wake-up, and the
 * woken waiter then sets the bit again for that task's unlock.
 */
static void rzs_slot_lock_wait(unsigned long *word)
{
	struct wait_queue_head *wq = __var_waitqueue(word);
	struct wait_bit_queue_entry wbq;

	init_wait_var_entry(&wbq, word, 0);
	for (;;) {
		prepare_to_wait_event(wq, &wbq.wq_entry, TASK_UNINTERRUPTIBLE);
		set_bit(RZS_SLOT_WAITERS, word);
		if (!test_and_set_bit_lock(RZS_SLOT_LOCK, word))
			break;
		schedule();
	}
	finish_wait(wq, &wbq.wq_entry);
}

#ifdef CONFIG_DEBUG_LOCK_ALLOC
#define rzs_slot_dep_map(store, index)	(&(store)->table[index].dep_map)

static struct lock_class_key rzs_slot_lock_key;

static void rzs_slot_lock_init_all(struct rzs_store *store)
{
	unsigned long i;

	for (i = 0; i < store->nr_pages; i++) {
		lockdep_init_map(&store->table[i].dep_map, "rzs_slot->lock",
				 &rzs_slot_lock_key, 0);
		if (!(i % 4096))
			cond_resched();
	}
}
#else
#define rzs_slot_dep_map(store, index)	NULL

static void rzs_slot_lock_init_all(struct rzs_store *store)
{
}
#endif

void rzs_slot_lock(struct rzs_store *store, unsigned long index)
{
	unsigned long *word = &store->table[index].flags;

	might_sleep();
	mutex_acquire(rzs_slot_dep_map(store, index), 0, 0, _RET_IP_);
	if (unlikely(test_and_set_bit_lock(RZS_SLOT_LOCK, word))) {
		lock_contended(rzs_slot_dep_map(store, index), _RET_IP_);
		rzs_slot_lock_wait(word);
	}
	lock_acquired(rzs_slot_dep_map(store, index), _RET_IP_);
}

static bool rzs_slot_trylock(struct rzs_store *store, unsigned long index)
{
	if (test_and_set_bit_lock(RZS_SLOT_LOCK, &store->table[index].flags))
		return false;
	mutex_acquire(rzs_slot_dep_map(store, index), 0, 1, _RET_IP_);
	lock_acquired(rzs_slot_dep_map(store, index), _RET_IP_);
	return true;
}

void rzs_slot_unlock(struct rzs_store *store, unsigned long index)
{
	unsigned long *word = &store->table[index].flags;

	mutex_release(rzs_slot_dep_map(store, index), _RET_IP_);

	/* The barrier orders the unlock before wake_up_var()'s queue check. */
	if (rzs_slot_update(word, RZS_SLOT_LOCK_MASK, 0) &
	    BIT(RZS_SLOT_WAITERS))
		wake_up_var(word);
}

/* Rule 6: the word may change under the reader (RZS_SLOT_WAITERS). */
static size_t rzs_slot_size(const struct rzs_slot *slot)
{
	return READ_ONCE(slot->flags) & RZS_SLOT_SIZE_MASK;
}

static bool rzs_slot_test(const struct rzs_slot *slot, enum rzs_slot_flag f)
{
	return READ_ONCE(slot->flags) & BIT(f);
}

static unsigned int rzs_slot_age(const struct rzs_slot *slot)
{
	return (READ_ONCE(slot->flags) & RZS_SLOT_AGE_MASK) >> RZS_SLOT_AGE;
}

/* Sets the idle age of a locked slot and moves it between the gauges. */
static void rzs_slot_set_age(struct rzs_store *store, struct rzs_slot *slot,
			     unsigned int age)
{
	unsigned int old = rzs_slot_age(slot);

	if (old == age)
		return;
	if (old)
		atomic64_dec(&store->stats->idle[old - 1]);
	if (age)
		atomic64_inc(&store->stats->idle[age - 1]);
	rzs_slot_update(&slot->flags, RZS_SLOT_AGE_MASK,
			(unsigned long)age << RZS_SLOT_AGE);
}

/* A read uses the page: it is young again and stays in RAM (rule 8). */
static void rzs_slot_touch(struct rzs_store *store, struct rzs_slot *slot)
{
	if (READ_ONCE(slot->flags) & (RZS_SLOT_AGE_MASK | BIT(RZS_SLOT_WB_PENDING))) {
		rzs_slot_set_age(store, slot, 0);
		rzs_slot_update(&slot->flags, BIT(RZS_SLOT_WB_PENDING), 0);
	}
}

/* Sets content and state of a locked slot; the lock bits stay as they are. */
static void rzs_slot_set(struct rzs_slot *slot, unsigned long handle,
			 unsigned long state)
{
	slot->handle = handle;
	rzs_slot_update(&slot->flags, ~RZS_SLOT_LOCK_MASK, state);
}

/*
 * Frees what a locked slot holds; returns whether it held anything.  Its
 * share of the gauges goes with it, under the lock (rule 2).
 */
static bool rzs_slot_free(struct rzs_store *store, unsigned long index)
{
	struct rzs_slot *slot = &store->table[index];
	struct rzs_stats *st = store->stats;
	size_t size = rzs_slot_size(slot);

	rzs_slot_set_age(store, slot, 0);
	if (rzs_slot_test(slot, RZS_SLOT_ON_DISK)) {
		rzs_backing_put_obj(store->bd, slot->handle, size);
		atomic64_dec(&st->bd_pages);
		atomic64_sub(size, &st->bd_bytes);
		rzs_slot_set(slot, 0, 0);
		return true;
	}
	if (rzs_slot_test(slot, RZS_SLOT_SAME)) {
		atomic64_dec(&st->same_pages);
	} else if (slot->handle) {
		zs_free(store->pool, slot->handle);
		if (rzs_slot_test(slot, RZS_SLOT_INCOMPRESSIBLE))
			atomic64_dec(&st->incompressible);
		if (rzs_slot_test(slot, RZS_SLOT_HUGE))
			atomic64_dec(&st->huge_pages);
		else if (size <= RZS_GOOD_COMPRESS)
			atomic64_dec(&st->good_compress);
		atomic64_sub(size, &st->compr_data_size);
	} else {
		return false;
	}
	atomic64_dec(&st->pages_stored);
	rzs_slot_set(slot, 0, 0);
	return true;
}

/* Whether every word of the page is the same; if so, that word. */
static bool rzs_page_same_filled(const unsigned long *mem, unsigned long *val)
{
	unsigned int last = PAGE_SIZE / sizeof(*mem) - 1;
	unsigned int i;

	/* Most pages differ in their first and last word: check those first. */
	if (mem[0] != mem[last])
		return false;
	for (i = 1; i < last; i++)
		if (mem[i] != mem[0])
			return false;
	*val = mem[0];
	return true;
}

static void rzs_update_max_used(struct rzs_stats *st, unsigned long pages)
{
	s64 cur = atomic64_read(&st->max_used_pages);

	while (pages > cur) {
		s64 old = atomic64_cmpxchg(&st->max_used_pages, cur, pages);

		if (old == cur)
			break;
		cur = old;
	}
}

/* Whether @used pages break the limit; arms and fires the announcement. */
static bool rzs_store_over_limit(struct rzs_store *store, unsigned long used)
{
	unsigned long limit = READ_ONCE(store->limit_pages);

	if (!limit)
		return false;
	if (used > limit) {
		if (test_and_clear_bit(RZS_LIMIT_ARMED, &store->limit_flags) &&
		    store->limit_work)
			schedule_work(store->limit_work);
		return true;
	}
	/* Re-arm below 90% only, so that usage at the limit is not a storm. */
	if (unlikely(!test_bit(RZS_LIMIT_ARMED, &store->limit_flags)) &&
	    used < limit - limit / 10)
		set_bit(RZS_LIMIT_ARMED, &store->limit_flags);
	return false;
}

void rzs_store_set_limit(struct rzs_store *store, unsigned long pages)
{
	WRITE_ONCE(store->limit_pages, pages);
	set_bit(RZS_LIMIT_ARMED, &store->limit_flags);
}

/*
 * Whether reading a compressed object takes a stream: for the backend's
 * decompression context (zstd) or for the allocator's bounce buffer (the
 * object API).  lzo and lz4 on map/unmap kernels need neither.
 */
static bool rzs_read_needs_stream(const struct rzs_store *store)
{
	return RZ_ZS_READ_NEEDS_BUFFER ||
	       store->comp->backend->decompress_uses_ctx;
}

/* A page held in RAM: a fill value, or an object of the pool. */
static int rzs_store_read_ram(struct rzs_store *store, unsigned long index,
			      struct page *page)
{
	struct rzs_slot *slot = &store->table[index];
	size_t size = rzs_slot_size(slot);
	bool huge = rzs_slot_test(slot, RZS_SLOT_HUGE);
	struct rzs_stream *s = NULL;
	const void *src;
	void *dst;
	int ret = 0;

	if (rzs_slot_test(slot, RZS_SLOT_SAME) || !slot->handle) {
		/* Never written slots read as zeroes (swapon reads ahead). */
		dst = rz_kmap(page);
		memset_l(dst, slot->handle, PAGE_SIZE / sizeof(unsigned long));
		rz_kunmap(dst);
		return 0;
	}

	/*
	 * A huge object is copied whole, so the page itself is the bounce
	 * buffer if the allocator has to assemble it: no stream either.  The
	 * stream comes before the mapping, which may not sleep.
	 */
	if (!huge && rzs_read_needs_stream(store))
		s = rzs_stream_get(store->comp);
	dst = rz_kmap(page);
	src = rz_zs_read_begin(store->pool, slot->handle, size,
			       s ? s->local_copy : dst);
	if (!huge)
		ret = rzs_decompress(store->comp, s, src, size, dst);
	else if (src != dst)
		memcpy(dst, src, PAGE_SIZE);
	rz_zs_read_end(store->pool, slot->handle, size, src);
	rz_kunmap(dst);
	if (s)
		rzs_stream_put(s);
	if (unlikely(ret))
		pr_err_ratelimited("%s: cannot decompress the page at sector %llu (%zu bytes stored): %d\n",
				   store->name,
				   (unsigned long long)index << (PAGE_SHIFT - SECTOR_SHIFT),
				   size, ret);
	return ret;
}

/*
 * A page on the disk tier: the block or two its object lies in are read
 * (into the page itself if the object is the whole page, aligned) and
 * decompressed.  The page stays on the disk: swap frees the slot once it
 * has the page.
 */
static int rzs_store_read_disk(struct rzs_store *store, unsigned long index,
			       struct page *page)
{
	struct rzs_slot *slot = &store->table[index];
	unsigned long addr = slot->handle;
	unsigned long block = addr >> PAGE_SHIFT;
	unsigned int offset = addr & ~PAGE_MASK;
	size_t size = rzs_slot_size(slot);
	bool spans = rzs_backing_obj_spans(addr, size);
	struct rzs_stream *s = NULL;
	struct page *bounce;
	void *src, *dst;
	int ret;

	/* Pages of the two-page bounce are not highmem: page_address(). */
	bounce = size == PAGE_SIZE && !offset ? page :
		rzs_backing_bounce_get(store->bd);
	ret = rzs_backing_read(store->bd, block, bounce, spans ? 2 : 1);
	if (unlikely(ret)) {
		pr_err_ratelimited("%s: cannot read the page at sector %llu from block %lu of the backing device: %d\n",
				   store->name,
				   (unsigned long long)index << (PAGE_SHIFT - SECTOR_SHIFT),
				   block, ret);
		goto out;
	}
	if (bounce == page)
		goto out;
	src = page_address(bounce) + offset;
	dst = rz_kmap(page);
	if (size == PAGE_SIZE) {
		memcpy(dst, src, PAGE_SIZE);
	} else {
		if (store->comp->backend->decompress_uses_ctx)
			s = rzs_stream_get(store->comp);
		ret = rzs_decompress(store->comp, s, src, size, dst);
		if (s)
			rzs_stream_put(s);
	}
	rz_kunmap(dst);
	if (unlikely(ret))
		pr_err_ratelimited("%s: cannot decompress the page at sector %llu (%zu bytes at block %lu of the backing device): %d\n",
				   store->name,
				   (unsigned long long)index << (PAGE_SHIFT - SECTOR_SHIFT),
				   size, block, ret);
out:
	if (bounce != page)
		rzs_backing_bounce_put(store->bd, bounce);
	return ret;
}

int rzs_store_read_locked(struct rzs_store *store, unsigned long index,
			  struct page *page)
{
	struct rzs_slot *slot = &store->table[index];
	int ret;

	if (rzs_slot_test(slot, RZS_SLOT_ON_DISK))
		ret = rzs_store_read_disk(store, index, page);
	else
		ret = rzs_store_read_ram(store, index, page);
	rzs_slot_touch(store, slot);
	return ret;
}

int rzs_store_read(struct rzs_store *store, unsigned long index,
		   struct page *page)
{
	int ret;

	rzs_slot_lock(store, index);
	ret = rzs_store_read_locked(store, index, page);
	rzs_slot_unlock(store, index);
	return ret;
}

/*
 * Compresses @page into a new zsmalloc object.  Returns the handle and
 * the slot state (size | flags), or 0 with *err set: -ENOSPC when the
 * memory limit refused it, -ENOMEM when there was no memory.
 */
static unsigned long rzs_store_compress(struct rzs_store *store,
					struct page *page,
					unsigned long *state, int *err)
{
	struct rzs_stats *st = store->stats;
	struct rzs_stream *s;
	unsigned long handle, used;
	size_t len;
	bool huge, incompressible;
	void *mem;

	s = rzs_stream_get(store->comp);
	mem = rz_kmap(page);
	*err = rzs_compress(store->comp, s, mem, &len);
	rz_kunmap(mem);
	if (*err)
		goto out;

	/*
	 * An object this big takes a zspage of its own anyway: keep the page
	 * as it is and save the decompression on every read.
	 */
	huge = len >= store->huge_class_size;
	incompressible = len >= PAGE_SIZE;
	if (huge)
		len = PAGE_SIZE;

	handle = rz_zs_malloc(store->pool, len, RZS_ZS_GFP);
	if (!handle) {
		*err = -ENOMEM;
		goto out;
	}
	used = zs_get_total_pages(store->pool);
	rzs_update_max_used(st, used);
	if (rzs_store_over_limit(store, used)) {
		zs_free(store->pool, handle);
		*err = -ENOSPC;
		goto out;
	}

	if (huge) {
		mem = rz_kmap(page);
		rz_zs_write(store->pool, handle, mem, PAGE_SIZE);
		rz_kunmap(mem);
		*state = PAGE_SIZE | BIT(RZS_SLOT_HUGE);
		if (incompressible)
			*state |= BIT(RZS_SLOT_INCOMPRESSIBLE);
	} else {
		rz_zs_write(store->pool, handle, s->buffer, len);
		*state = len;
	}
	rzs_stream_put(s);
	return handle;
out:
	rzs_stream_put(s);
	return 0;
}

int rzs_store_write(struct rzs_store *store, unsigned long index,
		    struct page *page, bool locked)
{
	struct rzs_stats *st = store->stats;
	unsigned long handle, state;
	size_t size;
	void *mem;
	bool same;
	int err;

	mem = rz_kmap(page);
	same = rzs_page_same_filled(mem, &handle);
	rz_kunmap(mem);

	if (same) {
		state = BIT(RZS_SLOT_SAME);
	} else {
		handle = rzs_store_compress(store, page, &state, &err);
		if (!handle)
			return err;
	}

	if (!locked)
		rzs_slot_lock(store, index);
	rzs_slot_free(store, index);
	rzs_slot_set(&store->table[index], handle, state);
	/* Rule 2: a free of this slot cannot subtract these before they are added. */
	atomic64_inc(&st->pages_stored);
	size = state & RZS_SLOT_SIZE_MASK;
	if (same)
		atomic64_inc(&st->same_pages);
	else if (state & BIT(RZS_SLOT_HUGE))
		atomic64_inc(&st->huge_pages);
	else if (size <= RZS_GOOD_COMPRESS)
		atomic64_inc(&st->good_compress);
	if (state & BIT(RZS_SLOT_INCOMPRESSIBLE))
		atomic64_inc(&st->incompressible);
	atomic64_add(size, &st->compr_data_size);
	if (!locked)
		rzs_slot_unlock(store, index);
	return 0;
}

void rzs_store_discard(struct rzs_store *store, unsigned long index)
{
	bool freed;

	rzs_slot_lock(store, index);
	freed = rzs_slot_free(store, index);
	rzs_slot_unlock(store, index);
	if (freed)
		atomic64_inc(&store->stats->discarded);
}

/* Called with the swap lock held: must not sleep. */
void rzs_store_notify_free(struct rzs_store *store, unsigned long index)
{
	atomic64_inc(&store->stats->notify_free);
	if (!rzs_slot_trylock(store, index)) {
		/* Left for the next write, discard or reset of this slot. */
		atomic64_inc(&store->stats->miss_free);
		return;
	}
	rzs_slot_free(store, index);
	rzs_slot_unlock(store, index);
}

/*
 * Ages every page held in the pool whose age is at least @min_age by one.
 * Same-filled pages hold no memory and pages on the disk have left RAM:
 * neither ages.  Returns how many pages aged; stops early on a signal.
 */
unsigned long rzs_store_mark_idle(struct rzs_store *store,
				  unsigned int min_age)
{
	unsigned long index, marked = 0;

	for (index = 0; index < store->nr_pages; index++) {
		struct rzs_slot *slot = &store->table[index];
		unsigned int age;

		if (!(index % 1024)) {
			cond_resched();
			if (signal_pending(current) || READ_ONCE(store->aborted))
				break;
		}
		/* Unlocked peek: a page stored meanwhile is young anyway. */
		if (!READ_ONCE(slot->handle) ||
		    (READ_ONCE(slot->flags) &
		     (BIT(RZS_SLOT_SAME) | BIT(RZS_SLOT_ON_DISK))))
			continue;
		rzs_slot_lock(store, index);
		age = rzs_slot_age(slot);
		if (slot->handle && !rzs_slot_test(slot, RZS_SLOT_SAME) &&
		    !rzs_slot_test(slot, RZS_SLOT_ON_DISK) &&
		    age >= min_age && age < RAMZSWAP_IDLE_AGE_MAX) {
			rzs_slot_set_age(store, slot, age + 1);
			marked++;
		}
		rzs_slot_unlock(store, index);
	}
	return marked;
}

/* One object copied into the run being filled. */
struct rzs_wb_entry {
	unsigned long index;
	unsigned int offset;	/* bytes from the start of the run */
};

/* At most this many objects go into one run. */
#define RZS_WB_BATCH	512

/*
 * One writeback: a run of up to RZS_RUN_MAX contiguous blocks on the disk,
 * allocated when its first object comes, the pages it is assembled in, and
 * the slots whose objects it holds.
 */
struct rzs_wb {
	struct rzs_store *store;
	struct page *pages[RZS_RUN_MAX];
	struct bio_vec bvec[RZS_RUN_MAX];
	void *obj;			/* an object read out of the pool */
	unsigned long start;		/* first block of the run */
	unsigned long blocks;		/* its length; 0 while none is open */
	unsigned int fill;		/* bytes of objects in it */
	unsigned int n;
	struct rzs_wb_entry e[RZS_WB_BATCH];
};

/* The size of a locked slot's object if writeback of @kinds takes it. */
static size_t rzs_wb_candidate(const struct rzs_slot *slot, unsigned int kinds,
			       unsigned int min_age)
{
	unsigned long flags = READ_ONCE(slot->flags);

	if (!slot->handle || (flags & (BIT(RZS_SLOT_SAME) |
				       BIT(RZS_SLOT_ON_DISK) |
				       BIT(RZS_SLOT_WB_PENDING))))
		return 0;
	if (((kinds & RAMZSWAP_WB_IDLE) && min_age &&
	     rzs_slot_age(slot) >= min_age) ||
	    ((kinds & RAMZSWAP_WB_HUGE) && (flags & BIT(RZS_SLOT_HUGE))) ||
	    ((kinds & RAMZSWAP_WB_INCOMPRESSIBLE) &&
	     (flags & BIT(RZS_SLOT_INCOMPRESSIBLE))))
		return flags & RZS_SLOT_SIZE_MASK;
	return 0;
}

/* Copies @len bytes to the run at @off, across a page boundary if need be. */
static void rzs_wb_put_bytes(struct rzs_wb *wb, unsigned int off,
			     const void *src, size_t len)
{
	while (len) {
		unsigned int in_page = off & ~PAGE_MASK;
		size_t n = min_t(size_t, len, PAGE_SIZE - in_page);
		void *dst = rz_kmap(wb->pages[off >> PAGE_SHIFT]);

		memcpy(dst + in_page, src, n);
		rz_kunmap(dst);
		src += n;
		off += n;
		len -= n;
	}
}

/* Copies a locked slot's object into the run, at its end. */
static void rzs_wb_copy(struct rzs_wb *wb, unsigned long index, size_t size)
{
	struct rzs_store *store = wb->store;
	struct rzs_slot *slot = &store->table[index];
	const void *src;

	src = rz_zs_read_begin(store->pool, slot->handle, size, wb->obj);
	rzs_wb_put_bytes(wb, wb->fill, src, size);
	rz_zs_read_end(store->pool, slot->handle, size, src);
}

/* Writeback gave up on these: they stay in RAM as they are. */
static void rzs_wb_cancel(struct rzs_wb *wb)
{
	struct rzs_store *store = wb->store;
	unsigned int i;

	for (i = 0; i < wb->n; i++) {
		rzs_slot_lock(store, wb->e[i].index);
		rzs_slot_update(&store->table[wb->e[i].index].flags,
				BIT(RZS_SLOT_WB_PENDING), 0);
		rzs_slot_unlock(store, wb->e[i].index);
	}
}

/*
 * The object of a locked slot now lives at @addr on the disk: the pool's
 * copy goes, with the slot's share of the RAM gauges (rule 2).
 */
static void rzs_wb_commit(struct rzs_store *store, unsigned long index,
			  unsigned long addr)
{
	struct rzs_slot *slot = &store->table[index];
	struct rzs_stats *st = store->stats;
	size_t size = rzs_slot_size(slot);

	rzs_slot_free(store, index);
	rzs_backing_get_obj(store->bd, addr, size);
	rzs_slot_set(slot, addr, size | BIT(RZS_SLOT_ON_DISK));
	atomic64_inc(&st->bd_pages);
	atomic64_add(size, &st->bd_bytes);
	atomic64_inc(&st->wb_pages);
}

/* A run for the next objects, as long as the budget and the disk allow. */
static enum rzs_wb_stop rzs_wb_open(struct rzs_wb *wb)
{
	struct rzs_backing *bd = wb->store->bd;
	unsigned long max = rzs_backing_budget(bd, RZS_RUN_MAX);
	long n;

	if (!max)
		return RZS_WB_LIMIT;
	n = rzs_backing_alloc_run(bd, max, &wb->start);
	if (n < 0)
		return RZS_WB_FULL;
	wb->blocks = n;
	return RZS_WB_DONE;
}

/* Ends the run: no object of it is written, every block of it freed. */
static void rzs_wb_drop(struct rzs_wb *wb)
{
	rzs_wb_cancel(wb);
	if (wb->blocks)
		rzs_backing_put_run(wb->store->bd, wb->start, wb->blocks);
	wb->blocks = 0;
	wb->fill = 0;
	wb->n = 0;
}

/* Writes the run's blocks and commits its objects (rule 8). */
static enum rzs_wb_stop rzs_wb_flush(struct rzs_wb *wb, u64 *written)
{
	struct rzs_store *store = wb->store;
	struct rzs_backing *bd = store->bd;
	unsigned int used = DIV_ROUND_UP(wb->fill, PAGE_SIZE), i;

	if (!wb->n) {
		rzs_wb_drop(wb);
		return RZS_WB_DONE;
	}
	/* The budget was asked when the run opened; DEV_SET may lower it. */
	if (!rzs_backing_charge(bd, used)) {
		rzs_wb_drop(wb);
		return RZS_WB_LIMIT;
	}
	if (rzs_backing_write_run(bd, wb->start, wb->pages, used, wb->bvec)) {
		rzs_backing_refund(bd, used);
		rzs_wb_drop(wb);
		return RZS_WB_IO_ERROR;
	}
	for (i = 0; i < wb->n; i++) {
		unsigned long index = wb->e[i].index;

		rzs_slot_lock(store, index);
		if (rzs_slot_test(&store->table[index], RZS_SLOT_WB_PENDING)) {
			rzs_wb_commit(store, index,
				      (wb->start << PAGE_SHIFT) + wb->e[i].offset);
			(*written)++;
		}
		rzs_slot_unlock(store, index);
	}
	/* The writer's references: blocks nobody kept are free again. */
	rzs_backing_put_run(bd, wb->start, wb->blocks);
	wb->blocks = 0;
	wb->fill = 0;
	wb->n = 0;
	return RZS_WB_DONE;
}

static void rzs_wb_free(struct rzs_wb *wb)
{
	unsigned int i;

	for (i = 0; i < RZS_RUN_MAX; i++)
		if (wb->pages[i])
			__free_page(wb->pages[i]);
	kfree(wb->obj);
	kvfree(wb);
}

static struct rzs_wb *rzs_wb_alloc(struct rzs_store *store)
{
	struct rzs_wb *wb = kvzalloc(sizeof(*wb), GFP_KERNEL);
	unsigned int i;

	if (!wb)
		return NULL;
	wb->store = store;
	wb->obj = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!wb->obj)
		goto fail;
	for (i = 0; i < RZS_RUN_MAX; i++) {
		wb->pages[i] = alloc_page(GFP_KERNEL);
		if (!wb->pages[i])
			goto fail;
	}
	return wb;
fail:
	rzs_wb_free(wb);
	return NULL;
}

/**
 * rzs_store_writeback - move pages of some kinds from RAM to the disk tier
 * @store: a store with a backing device
 * @kinds: mask of enum ramzswap_wb_kind
 * @min_age: the idle age RAMZSWAP_WB_IDLE takes, at least 1
 * @max_pages: move at most this many
 * @written: pages moved
 *
 * Objects are packed end to end in slot order into runs of contiguous
 * blocks, an object spanning two blocks where it falls so: the disk takes
 * the compressed size.  Process context; a signal stops it after the
 * current run.
 *
 * Return: why it stopped.
 */
enum rzs_wb_stop rzs_store_writeback(struct rzs_store *store,
				     unsigned int kinds, unsigned int min_age,
				     u64 max_pages, u64 *written)
{
	enum rzs_wb_stop stop = RZS_WB_DONE, last;
	unsigned long index = 0;
	struct rzs_wb *wb;

	*written = 0;
	wb = rzs_wb_alloc(store);
	if (!wb)
		return RZS_WB_NOMEM;
	while (index < store->nr_pages && *written + wb->n < max_pages) {
		size_t size;

		if (signal_pending(current)) {
			stop = RZS_WB_SIGNAL;
			break;
		}
		if (READ_ONCE(store->aborted)) {
			stop = RZS_WB_ABORTED;
			break;
		}
		rzs_slot_lock(store, index);
		size = rzs_wb_candidate(&store->table[index], kinds, min_age);
		if (!size) {
			rzs_slot_unlock(store, index);
			index++;
			if (!(index % 1024))
				cond_resched();
			continue;
		}
		if (!wb->blocks || wb->fill + size > wb->blocks * PAGE_SIZE ||
		    wb->n == RZS_WB_BATCH) {
			/* Write the run that is full, open the next; again. */
			rzs_slot_unlock(store, index);
			stop = wb->blocks ? rzs_wb_flush(wb, written) :
				rzs_wb_open(wb);
			if (stop)
				break;
			continue;
		}
		rzs_wb_copy(wb, index, size);
		rzs_slot_update(&store->table[index].flags, 0,
				BIT(RZS_SLOT_WB_PENDING));
		rzs_slot_unlock(store, index);
		wb->e[wb->n].index = index;
		wb->e[wb->n].offset = wb->fill;
		wb->n++;
		wb->fill += size;
		index++;
	}
	if (stop > RZS_WB_SIGNAL) {
		rzs_wb_drop(wb);
	} else {
		last = rzs_wb_flush(wb, written);
		if (last)
			stop = last;
	}
	rzs_wb_free(wb);
	return stop;
}

unsigned long rzs_store_mem_used_pages(struct rzs_store *store)
{
	return zs_get_total_pages(store->pool);
}

unsigned long rzs_store_pages_compacted(struct rzs_store *store)
{
	struct zs_pool_stats zst = {};

	zs_pool_stats(store->pool, &zst);
	return atomic_long_read(&zst.pages_compacted);
}

unsigned long rzs_store_compact(struct rzs_store *store)
{
	return zs_compact(store->pool);
}

struct rzs_store *rzs_store_create(const char *name, unsigned long nr_pages,
				   const struct rzs_backend *backend,
				   int level, struct rzs_stats *stats,
				   struct rzs_backing *bd)
{
	size_t table_size = array_size(nr_pages, sizeof(struct rzs_slot));
	struct rzs_store *store;
	int ret = -ENOMEM;

	/*
	 * A disk size beyond memory is the caller's error, answered with
	 * ENOMEM: a table of more than half the RAM is refused at once, and
	 * a smaller one may fail (RETRY_MAYFAIL) rather than wake the OOM
	 * killer or warn.
	 */
	if (DIV_ROUND_UP(table_size, PAGE_SIZE) > totalram_pages() / 2)
		return ERR_PTR(-ENOMEM);
	store = kzalloc(sizeof(*store), GFP_KERNEL);
	if (!store)
		return ERR_PTR(-ENOMEM);
	store->name = name;
	store->nr_pages = nr_pages;
	store->stats = stats;
	set_bit(RZS_LIMIT_ARMED, &store->limit_flags);

	store->table = __vmalloc(table_size, GFP_KERNEL | __GFP_ZERO |
				 __GFP_NOWARN | __GFP_RETRY_MAYFAIL);
	if (!store->table)
		goto fail;
	rzs_slot_lock_init_all(store);
	store->pool = zs_create_pool(name);
	if (!store->pool)
		goto fail;
	store->huge_class_size = zs_huge_class_size(store->pool);

	store->comp = rzs_comp_create(backend, level);
	if (IS_ERR(store->comp)) {
		ret = PTR_ERR(store->comp);
		store->comp = NULL;
		goto fail;
	}
	/* Owned from here on: the caller closes it if this fails. */
	store->bd = bd;
	return store;
fail:
	rzs_store_destroy(store);
	return ERR_PTR(ret);
}

/* Frees everything; the caller guarantees nobody uses the store. */
void rzs_store_destroy(struct rzs_store *store)
{
	unsigned long i;

	if (store->pool && store->table) {
		for (i = 0; i < store->nr_pages; i++) {
			rzs_slot_free(store, i);
			cond_resched();
		}
	}
	if (store->bd)
		rzs_backing_close(store->bd);
	if (store->comp)
		rzs_comp_destroy(store->comp);
	if (store->pool)
		zs_destroy_pool(store->pool);
	vfree(store->table);
	kfree(store);
}
