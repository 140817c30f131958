using VizierOrleans.Silo;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection(SiloSettings.Section).Get<SiloSettings>() ?? new SiloSettings();
builder.AddVizierSilo(settings);

var app = builder.Build();
app.MapVizierEndpoints();
await app.RunAsync();
