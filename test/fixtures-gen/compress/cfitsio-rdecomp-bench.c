/* Baseline for bench-rice.ts: time cfitsio's own RICE decoder (fits_rdecomp_short, exported by
 * the system libcfitsio) on the same tiles, without file I/O.
 *
 *   gcc -O2 cfitsio-rdecomp-bench.c -o /tmp/rdecomp-bench /usr/lib/x86_64-linux-gnu/libcfitsio.so.10
 *   /tmp/rdecomp-bench          # reads /tmp/skystack-rice-bench/{tiles,lengths}.bin
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int fits_rdecomp_short(unsigned char *c, int clen, unsigned short array[], int nx, int nblock);
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
int main(){
  FILE*f=fopen("/tmp/skystack-rice-bench/tiles.bin","rb"); fseek(f,0,SEEK_END); long n=ftell(f); rewind(f);
  unsigned char*blob=malloc(n); fread(blob,1,n,f); fclose(f);
  f=fopen("/tmp/skystack-rice-bench/lengths.bin","rb"); unsigned int len[4644]; fread(len,4,4644,f); fclose(f);
  unsigned short *out=malloc(2112*4644*2);
  double best=1e9;
  for(int r=0;r<15;r++){ double t0=now(); long off=0;
    for(int i=0;i<4644;i++){ fits_rdecomp_short(blob+off,len[i],out+i*2112,2112,32); off+=len[i]; }
    double t=now()-t0; if(t<best)best=t; }
  printf("cfitsio fits_rdecomp_short all tiles: min %.1f ms\n",best);
  return 0;
}
