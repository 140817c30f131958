using VizierOrleans.Silo;

var app = SiloHostingExtensions.CreateVizierSiloBuilder(args).Build();
app.MapVizierEndpoints();
await app.RunAsync();
