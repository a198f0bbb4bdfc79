/* One round of the comparison for FANN 2.2 (Debian's libfann-dev), timed like
 * src/main.rs: for each workload, steps per second over about 0.7 s after a short
 * warm-up, printed as `<workload> fann <steps per second>`.
 *
 * FANN has no softmax: both layers are sigmoids (steepness 1, as ferroflow's), trained
 * on squared error (FANN_ERRORFUNC_LINEAR), plain gradient descent at rate 0.05. A batch
 * of 1 is fann_train (incremental: one forward, backward and update); a larger batch is
 * one fann_train_epoch in FANN_TRAIN_BATCH mode, which sums the gradients of the batch
 * and updates once. The inputs and targets are ferroflow's seeded batches, written by
 * `compare --write-data DIR`; the initial weights are FANN's own (random in ±0.1).
 *
 * Build: cc -O3 [-march=native] fann.c -lfloatfann -lm -o fann; run: ./fann DIR */
#include <floatfann.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BATCHES 8
#define WINDOW 0.7

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static float *load(const char *dir, const char *name, size_t count) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.f32", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    float *data = malloc(count * sizeof(float));
    if (fread(data, sizeof(float), count, f) != count) { fprintf(stderr, "%s: short\n", path); exit(1); }
    fclose(f);
    return data;
}

static struct fann *network(unsigned i, unsigned h, unsigned o) {
    struct fann *ann = fann_create_standard(3, i, h, o);
    fann_set_activation_function_hidden(ann, FANN_SIGMOID);
    fann_set_activation_function_output(ann, FANN_SIGMOID);
    fann_set_activation_steepness_hidden(ann, 1.0f);
    fann_set_activation_steepness_output(ann, 1.0f);
    fann_set_train_error_function(ann, FANN_ERRORFUNC_LINEAR);
    fann_set_learning_rate(ann, 0.05f);
    fann_set_learning_momentum(ann, 0.0f);
    return ann;
}

/* The BATCHES batches of a workload as FANN training sets of b samples each. */
static struct fann_train_data **batches(const float *raw, unsigned b, unsigned i, unsigned o) {
    struct fann_train_data **sets = malloc(BATCHES * sizeof *sets);
    const float *p = raw;
    for (int k = 0; k < BATCHES; k++) {
        sets[k] = fann_create_train(b, i, o);
        for (unsigned s = 0; s < b; s++)
            for (unsigned j = 0; j < i; j++) sets[k]->input[s][j] = *p++;
        for (unsigned s = 0; s < b; s++)
            for (unsigned j = 0; j < o; j++) sets[k]->output[s][j] = *p++;
    }
    return sets;
}

static void training(const char *dir, const char *name, unsigned b, unsigned i, unsigned h, unsigned o) {
    float *raw = load(dir, name, (size_t)BATCHES * b * (i + o));
    struct fann_train_data **sets = batches(raw, b, i, o);
    struct fann *ann = network(i, h, o);
    fann_set_training_algorithm(ann, b == 1 ? FANN_TRAIN_INCREMENTAL : FANN_TRAIN_BATCH);
    volatile float sink = 0;
    long n = 0;
    double start = now();
    while (now() - start < WINDOW / 5) {
        struct fann_train_data *d = sets[n++ % BATCHES];
        if (b == 1) fann_train(ann, d->input[0], d->output[0]);
        else sink += fann_train_epoch(ann, d);
    }
    n = 0;
    start = now();
    double elapsed;
    do {
        for (int k = 0; k < 64; k++, n++) {
            struct fann_train_data *d = sets[n % BATCHES];
            if (b == 1) fann_train(ann, d->input[0], d->output[0]);
            else sink += fann_train_epoch(ann, d);
        }
        elapsed = now() - start;
    } while (elapsed < WINDOW);
    printf("%s fann %.1f\n", name, n / elapsed);
    fann_destroy(ann);
    free(raw);
}

static void inference(const char *dir, const char *name, unsigned i, unsigned h, unsigned o) {
    float *raw = load(dir, name, (size_t)BATCHES * (i + o));
    struct fann_train_data **sets = batches(raw, 1, i, o);
    struct fann *ann = network(i, h, o);
    volatile float sink = 0;
    long n = 0;
    double start = now();
    while (now() - start < WINDOW / 5) sink += fann_run(ann, sets[n++ % BATCHES]->input[0])[0];
    n = 0;
    start = now();
    double elapsed;
    do {
        for (int k = 0; k < 64; k++, n++) sink += fann_run(ann, sets[n % BATCHES]->input[0])[0];
        elapsed = now() - start;
    } while (elapsed < WINDOW);
    printf("%s fann %.1f\n", name, n / elapsed);
    fann_destroy(ann);
    free(raw);
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: fann DATA_DIR\n"); return 2; }
    srand(7);
    training(argv[1], "W1", 1, 2, 16, 2);
    training(argv[1], "W2", 32, 64, 32, 10);
    training(argv[1], "W3", 64, 784, 128, 10);
    inference(argv[1], "I1", 2, 16, 2);
    inference(argv[1], "I3", 784, 128, 10);
    return 0;
}
